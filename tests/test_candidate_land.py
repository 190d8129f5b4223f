"""A reserve candidate's land (征地拆迁), kept on pages as a project's is: the office and the proposing
unit add a township's plan and record its months; readers read; others do not see it; bad input
changes nothing; the candidate's land stays out of the land register and its API (projects only)."""

import datetime as dt
from decimal import Decimal

import pytest

from land.models import LandMonth, LandPlan

from . import factories as f
from .list_builders import ready_candidate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]

PLAN = {
    "township": "",
    "area_needed": "40",
    "farmland": "25",
    "approval": "submitted",
    "households": "6",
    "buildings": "4",
    "compensation_needed": "320.50",
    "handover_due": "2020-12-31",
}


@pytest.fixture
def levee(world):
    return ready_candidate(
        region=world.county, lead_unit=world.water, sector=world.reservoir.sector, leader=world.leader
    )


def plan_of(levee, world, **fields) -> LandPlan:
    return LandPlan.objects.create(
        candidate=levee, township=world.hongan_town, area_needed=Decimal("40"), households=6, **fields
    )


@pytest.mark.parametrize("who", ["office", "water_user"])
def test_the_office_and_the_proposing_unit_add_a_candidates_land(world, levee, as_user, who):
    client = as_user(getattr(world, who))
    response = client.post(f"/land/candidate/{levee.pk}/new/", {**PLAN, "township": world.hongan_town.pk})
    assert response.status_code == 302 and response["Location"] == f"/land/candidate/{levee.pk}/"
    plan = LandPlan.objects.get(candidate=levee)
    assert plan.project_id is None
    assert (plan.area_needed, plan.compensation_needed) == (Decimal("40.00"), Decimal("320.50"))
    page = client.get(f"/land/candidate/{levee.pk}/").content.decode()
    assert "洪安镇" in page and levee.name in page and "320.50" in page


def test_a_month_recorded_on_a_candidates_land_adds_to_its_totals(world, levee, as_user):
    plan = plan_of(levee, world)
    client = as_user(world.water_user)
    response = client.post(
        f"/land/plan/{plan.pk}/month/",
        {"year": "2020", "month": "9", "acquired": "30", "handed_over": "12.5", "households_relocated": "2"},
    )
    assert response.status_code == 302 and response["Location"] == f"/land/candidate/{levee.pk}/"
    entry = LandMonth.objects.get(plan=plan)
    assert (entry.acquired, entry.handed_over) == (Decimal("30.00"), Decimal("12.50"))
    page = client.get(f"/land/candidate/{levee.pk}/").content.decode()
    assert "2020-09" in page and "27.5" in page  # 40 mu needed, 12.5 handed over: 27.5 left


def test_bad_land_input_is_a_message_and_saves_nothing(world, levee, as_user):
    plan = plan_of(levee, world)
    client = as_user(world.office)
    over = client.post(f"/land/plan/{plan.pk}/month/", {"year": "2020", "month": "9", "acquired": "41"})
    assert over.status_code == 200 and "累计征收面积（41.00 亩）将超过需用地面积" in over.content.decode()
    assert not LandMonth.objects.filter(plan=plan).exists()
    other_region = f.township(world.other_county, "钟多街道")
    response = client.post(f"/land/candidate/{levee.pk}/new/", {**PLAN, "township": other_region.pk})
    assert response.status_code == 200 and LandPlan.objects.filter(candidate=levee).count() == 1
    twice = client.post(f"/land/candidate/{levee.pk}/new/", {**PLAN, "township": world.hongan_town.pk})
    assert twice.status_code == 200 and "在这个乡镇已有征地计划" in twice.content.decode()
    assert LandPlan.objects.filter(candidate=levee).count() == 1
    farmland = client.post(
        f"/land/plan/{plan.pk}/edit/", {**PLAN, "township": world.hongan_town.pk, "farmland": "99"}
    )
    assert farmland.status_code == 200 and "耕地面积不能超过需用地面积" in farmland.content.decode()
    plan.refresh_from_db()
    assert plan.farmland == 0


@pytest.mark.parametrize("who", ["leader_user", "supervisor", "viewer"])
def test_readers_see_a_candidates_land_but_change_nothing(world, levee, as_user, who):
    plan = plan_of(levee, world)
    client = as_user(getattr(world, who))
    page = client.get(f"/land/candidate/{levee.pk}/")
    assert page.status_code == 200 and "洪安镇" in page.content.decode()
    assert f"/land/plan/{plan.pk}/month/" not in page.content.decode()
    assert client.post(f"/land/plan/{plan.pk}/month/", {"year": "2020", "month": "9"}).status_code == 403
    assert client.get(f"/land/candidate/{levee.pk}/new/").status_code == 403
    assert not LandMonth.objects.exists()


@pytest.mark.parametrize("who", ["transport_user", "hongan_user", "outsider"])
def test_others_do_not_even_see_a_candidates_land(world, levee, as_user, who):
    plan = plan_of(levee, world)
    client = as_user(getattr(world, who))
    assert client.get(f"/land/candidate/{levee.pk}/").status_code == 404
    assert client.get(f"/land/candidate/{levee.pk}/new/").status_code == 404
    assert client.post(f"/land/plan/{plan.pk}/month/", {"year": "2020", "month": "9"}).status_code == 404
    assert client.get(f"/land/plan/{plan.pk}/edit/").status_code == 404


def test_a_candidates_land_stays_out_of_the_register(world, levee, as_user):
    plan_of(levee, world, handover_due=dt.date(2020, 8, 31))
    client = as_user(world.office)
    assert client.get("/api/v1/land?year=2020").json()["plans"]["count"] == 0
    assert client.get("/api/v1/land?year=2021").json()["plans"]["count"] == 0
    assert "洪安镇" not in client.get("/land/?year=2021").content.decode()
