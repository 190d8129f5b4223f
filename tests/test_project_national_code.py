"""The national project code (项目代码) on a key project: validated and tidied on the project form,
unique once set, found by the ledger's text search, shown on the project page and in the API's
projects/{id}."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from projects.models import Project

from .conftest import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]
CODE = "2020-500241-48-01-000123"


def new_project(world, **changes) -> dict:
    data = {
        "region": world.county.pk,
        "code": "XS-NEW-1",
        "name": "清溪场污水处理厂扩建",
        "sector": world.reservoir.sector.pk,
        "level": "county",
        "nature": "new",
        "lead_unit": world.water.pk,
        "total_investment": "3500.50",
        "content": "新建污水处理规模1万吨/日",
        "status": "preparing",
        "plan-year": "2020",
        "plan-stage": "continuing",
        "plan-planned_investment": "1200.00",
        "plan-invested_before": "0",
        "plan-progress_target": "",
    }
    return {**data, **changes}


def test_the_office_gives_a_project_its_code_typed_loosely(world):
    response = login(world.office).post(
        "/projects/new/", new_project(world, national_code="２０２０５００２４１４８０１０００１２３")
    )
    assert response.status_code == 302
    assert Project.objects.get(code="XS-NEW-1").national_code == CODE


@pytest.mark.parametrize(
    "typed, message",
    [
        ("2020-500241-48-01", "24 characters"),
        ("2009-500241-48-01-000123", "year it was issued"),
        ("2020-990241-48-01-000123", "administrative division"),
    ],
)
def test_it_refuses_what_is_not_a_project_code_and_saves_nothing(world, typed, message):
    client = login(world.office)
    client.cookies["django_language"] = "en"
    response = client.post(
        "/projects/new/", new_project(world, national_code=typed), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["national_code"])
    assert not Project.objects.filter(code="XS-NEW-1").exists()


def test_it_says_in_chinese_when_another_project_has_the_code(world):
    world.road.national_code = CODE
    world.road.save()
    response = login(world.office).post("/projects/new/", new_project(world, national_code=CODE))
    assert response.status_code == 200
    assert "已有其他项目使用该项目代码" in response.content.decode()
    assert not Project.objects.filter(code="XS-NEW-1").exists()


def test_the_database_keeps_a_code_unique_but_many_projects_without_one(world):
    assert Project.objects.filter(national_code="").count() == 4
    world.road.national_code = CODE
    world.road.save()
    world.bridge.national_code = CODE
    with pytest.raises(IntegrityError), transaction.atomic():
        world.bridge.save()
    world.bridge.national_code = "not a code"
    with pytest.raises(ValidationError):
        world.bridge.full_clean()


def test_the_ledger_search_finds_a_project_by_its_code_and_the_page_shows_it(world):
    world.road.national_code = CODE
    world.road.save()
    office = login(world.office)
    body = office.get("/projects/?year=2020&q=500241-48-01").content.decode()
    assert "中和至平凯公路改造" in body and "洪安水库工程" not in body
    page = office.get(f"/projects/{world.road.pk}/").content.decode()
    assert CODE in page


def test_a_unit_sees_the_code_but_cannot_change_it(world):
    world.road.national_code = CODE
    world.road.save()
    water = login(world.water_user)
    assert CODE in water.get(f"/projects/{world.road.pk}/").content.decode()
    assert "national_code" not in water.get(f"/projects/{world.road.pk}/edit/").content.decode()


def test_the_api_gives_the_code_on_a_projects_page(world):
    world.road.national_code = CODE
    world.road.save()
    data = login(world.office).get(f"/api/v1/projects/{world.road.pk}").json()
    assert data["national_code"] == CODE
    assert login(world.office).get(f"/api/v1/projects/{world.bridge.pk}").json()["national_code"] == ""
