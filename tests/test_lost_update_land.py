"""Two people recording one land plan's months (issue 13 item 3): the month form carries the version
of each month it may correct, so a month recorded by another since the form was drawn is refused
with the box (the month as saved beside what was typed) and keeps the typing; nothing is
overwritten. Another month, or the plan's own form, is not held up by it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from land.models import LandMonth

from .conftest import login
from .form_builders import form_values, page_form, stale_box
from .land_builders import land_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def plan(world):
    return land_plan(
        world.reservoir, world.hongan_town, needed="120", households=20, due=dt.date(2020, 8, 31)
    )


def _drawn(client, plan) -> dict:
    return page_form(client, f"/land/project/{plan.project_id}/", f"land-month-{plan.pk}")


def test_it_refuses_a_stale_month_and_keeps_what_was_typed(plan, world):
    office, unit = login(world.office), login(world.water_user)
    office_form, unit_form = _drawn(office, plan), _drawn(unit, plan)
    assert office_form["versions"] == unit_form["versions"]
    url = f"/land/plan/{plan.pk}/month/"
    sept = {"year": "2020", "month": "9"}
    assert office.post(url, {**office_form, **sept, "acquired": "30", "handed_over": "20"}).status_code == 302

    response = unit.post(url, {**unit_form, **sept, "acquired": "35", "handed_over": "25"})
    assert response.status_code == 409
    page = response.content.decode()
    box = stale_box(page)
    assert "2020-09" in box and "30" in box and "35" in box  # the month as saved beside the typing
    saved = LandMonth.objects.get(plan=plan, year=2020, month=9)
    assert (saved.acquired, saved.handed_over) == (Decimal("30.00"), Decimal("20.00"))
    shown = form_values(page)
    assert (shown["acquired"], shown["handed_over"]) == ("35", "25")
    assert unit.post(url, shown).status_code == 302  # saved again, deliberately
    saved.refresh_from_db()
    assert saved.acquired == Decimal("35.00")


def test_another_month_and_the_plans_own_form_are_not_held_up_by_a_month_recorded(plan, world):
    office, unit = login(world.office), login(world.water_user)
    unit_form = _drawn(unit, plan)
    plan_form = page_form(office, f"/land/plan/{plan.pk}/edit/")
    url = f"/land/plan/{plan.pk}/month/"
    assert (
        office.post(url, {**_drawn(office, plan), "year": "2020", "month": "9", "acquired": "30"}).status_code
        == 302
    )
    assert unit.post(url, {**unit_form, "year": "2020", "month": "8", "acquired": "10"}).status_code == 302
    assert office.post(f"/land/plan/{plan.pk}/edit/", {**plan_form, "households": "21"}).status_code == 302
    assert LandMonth.objects.filter(plan=plan).count() == 2


def test_a_month_form_drawn_after_the_save_records(plan, world):
    unit = login(world.water_user)
    url = f"/land/plan/{plan.pk}/month/"
    for month, acquired in (("8", "10"), ("9", "12")):
        form = _drawn(unit, plan)
        assert (
            unit.post(url, {**form, "year": "2020", "month": month, "acquired": acquired}).status_code == 302
        )
    assert LandMonth.objects.filter(plan=plan).count() == 2
