"""The national project code (项目代码) on a key project: validated and tidied on the project form,
unique once set, found by the ledger's text search, shown on the project page and in the API's
projects/{id}, exported with the ledger and read back by the list import."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from openpyxl import load_workbook

from exchange.project_import import preview_projects
from lib.tabular import read_tables
from lib.xlsx import workbook_bytes
from projects.exports import ledger_sheet
from projects.models import Project
from reports.ledger import ledger_queryset

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


def _ledger(office) -> bytes:
    return workbook_bytes([ledger_sheet(ledger_queryset(office, 2020), year=2020, region=office.region)])


def _set_code_cell(data: bytes, name: str, code: str) -> bytes:
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    rows = list(sheet.iter_rows())
    header = next(r for r in rows if any(c.value in ("项目代码", "National project code") for c in r))
    col = next(c.column for c in header if c.value in ("项目代码", "National project code"))
    row = next(r for r in rows if any(c.value == name for c in r))
    sheet.cell(row=row[0].row, column=col, value=code)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_ledger_export_carries_the_code_and_an_import_reads_it_back(world):
    world.road.national_code = CODE
    world.road.save()
    with translation.override("zh-hans"):
        data = _ledger(world.office)
        preview = preview_projects(read_tables(data, "xlsx"), year=2020, region=world.county)
    assert not preview.errors, [str(p) for p in preview.problems]
    assert [r.diffs for r in preview.rows if r.diffs] == []  # unchanged: the code read back agrees

    edited = _set_code_cell(data, "梅江河大桥", "2020 5002 4148 0100 0456".replace(" ", ""))
    with translation.override("zh-hans"):
        preview = preview_projects(read_tables(edited, "xlsx"), year=2020, region=world.county)
    bridge = next(r for r in preview.rows if r.get("name") == "梅江河大桥")
    assert bridge.get("national_code") == "2020-500241-48-01-000456"
    assert [d.key for d in bridge.diffs] == ["national_code"]


@pytest.mark.parametrize(
    "code, message",
    [("2020-500241", "24 characters"), (CODE, "Another project has the project code")],
)
def test_an_import_refuses_a_bad_or_taken_code_on_its_row(world, code, message):
    world.far.national_code = CODE  # the other county's project, not in the file
    world.far.save()
    with translation.override("zh-hans"):
        data = _set_code_cell(_ledger(world.office), "梅江河大桥", code)
    with translation.override("en"):
        preview = preview_projects(read_tables(data, "xlsx"), year=2020, region=world.county)
    assert any(message in p.message for p in preview.errors), [str(p) for p in preview.problems]


def test_an_import_refuses_a_code_given_twice_in_the_file(world):
    with translation.override("zh-hans"):
        data = _set_code_cell(_set_code_cell(_ledger(world.office), "梅江河大桥", CODE), "洪安水库工程", CODE)
    with translation.override("en"):
        preview = preview_projects(read_tables(data, "xlsx"), year=2020, region=world.county)
    assert [p.message for p in preview.errors] == [f"The project code {CODE} appears twice in the file."]
