"""The project's land page (per township, month by month) and its forms: who reads, who records,
bad input refused with a message; a land blocker raised from the warning in one click."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from blockers.models import Blocker
from land.models import LandMonth, LandPlan

from .conftest import login
from .land_builders import land_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def plan(world):
    return land_plan(
        world.reservoir,
        world.hongan_town,
        needed="120",
        households=20,
        due=dt.date(2020, 8, 31),
        months=[{"year": 2020, "month": 7, "acquired": "90", "handed_over": "80", "households_relocated": 8}],
    )


def page(user, project):
    return login(user).get(f"/land/project/{project.pk}/")


def test_the_project_page_shows_each_township_to_date_and_the_warning(plan, world):
    response = page(world.office, world.reservoir)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-township="洪安镇"' in body
    assert "交地滞后（洪安镇）：需 120 亩，已交 80 亩，计划 2020-08-31" in body
    (shown,) = response.context["plans"]
    assert (shown.handed_total, shown.households_done) == (Decimal("80.00"), 8)
    assert "一键提交征地拆迁卡点" in body


@pytest.mark.parametrize(
    ("who", "status", "can_edit"),
    [
        ("office", 200, True),
        ("water_user", 200, True),  # the lead unit
        ("hongan_user", 200, False),  # the township it is built in reads it
        ("leader_user", 200, False),
        ("viewer", 200, False),
        ("transport_user", 404, None),  # another unit's project
        ("outsider", 404, None),  # another county
    ],
)
def test_who_reads_and_who_records(plan, world, who, status, can_edit):
    user = getattr(world, who)
    response = page(user, world.reservoir)
    assert response.status_code == status
    if status == 200:
        assert response.context["can_edit"] is can_edit
    posted = login(user).post(f"/land/plan/{plan.pk}/month/", {"year": 2020, "month": 9, "acquired": "5"})
    expected = 302 if can_edit else (403 if status == 200 else 404)
    assert posted.status_code == expected
    assert LandMonth.objects.filter(plan=plan, month=9).exists() is bool(can_edit)


def test_a_unit_records_a_month_and_the_totals_move(plan, world):
    client = login(world.water_user)
    response = client.post(
        f"/land/plan/{plan.pk}/month/",
        {"year": 2020, "month": 9, "acquired": "30", "handed_over": "40", "households_relocated": "12"},
    )
    assert response.status_code == 302
    body = page(world.water_user, world.reservoir).content.decode()
    assert "交地滞后" not in body  # all 120 mu handed over: the warning is gone


def test_bad_input_is_refused_with_a_message_and_changes_nothing(plan, world):
    client = login(world.water_user)
    response = client.post(f"/land/plan/{plan.pk}/month/", {"year": 2020, "month": 9, "handed_over": "50"})
    assert response.status_code == 200
    assert (
        "累计交地面积（130 亩）" in response.content.decode()
        or "将超过累计征收面积" in response.content.decode()
    )
    response = client.post(f"/land/plan/{plan.pk}/month/", {"year": "abc", "month": 13, "acquired": "x"})
    assert response.status_code == 200 and response.context["form"].errors
    assert LandMonth.objects.filter(plan=plan).count() == 1


def test_the_office_adds_a_township_and_a_second_one_there_is_refused(world):
    client = login(world.office)
    data = {
        "township": world.hongan_town.pk,
        "area_needed": "35.5",
        "farmland": "20",
        "approval": "approved",
        "approved_on": "2020-05-01",
        "approval_number": "渝府地〔2020〕1号",
        "households": "4",
        "buildings": "3",
        "compensation_needed": "210",
        "handover_due": "2020-12-31",
    }
    assert client.post(f"/land/project/{world.bridge.pk}/new/", data).status_code == 302
    created = LandPlan.objects.get(project=world.bridge)
    assert created.area_needed == Decimal("35.50") and created.approval_number == "渝府地〔2020〕1号"
    again = client.post(f"/land/project/{world.bridge.pk}/new/", data)
    assert again.status_code == 200 and "该项目在这个乡镇已有征地计划" in again.content.decode()
    bad = client.post(f"/land/project/{world.road.pk}/new/", {**data, "farmland": "50", "approved_on": ""})
    assert bad.status_code == 200
    assert set(bad.context["form"].errors) >= {"farmland", "approved_on"}
    assert LandPlan.objects.count() == 1


def test_a_unit_cannot_add_land_to_another_units_project(world):
    response = login(world.water_user).post(
        f"/land/project/{world.bridge.pk}/new/", {"township": world.hongan_town.pk, "area_needed": "5"}
    )
    assert response.status_code == 404
    assert not LandPlan.objects.exists()


def test_a_land_blocker_is_raised_from_the_warning_in_one_click(plan, world):
    client = login(world.water_user)
    response = client.post(f"/blockers/from-warning/{world.reservoir.pk}/", {"warning": "land_behind"})
    assert response.status_code == 302
    blocker = Blocker.objects.get(project=world.reservoir)
    assert blocker.kind == Blocker.Kind.LAND
    assert blocker.description == "交地滞后（洪安镇）：需 120 亩，已交 80 亩，计划 2020-08-31"
    client.post(f"/blockers/from-warning/{world.reservoir.pk}/", {"warning": "land_behind"})
    assert Blocker.objects.filter(project=world.reservoir).count() == 1  # the open one is reused
