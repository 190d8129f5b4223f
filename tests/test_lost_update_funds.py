"""Two people correcting one month of a project's funds (issue 13 item 3): the month form carries the
version of every month it may write, so a correction drawn before another's is refused with "changed
by X at T", the month as saved beside what was typed, and keeps the typing; nothing is overwritten.
A month nobody touched since, or a new one, records as before."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from funds.models import FundMonth, FundPlan

from .conftest import login
from .form_builders import form_values, page_form, says_who_and_when, stale_box

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def plan(world):
    return FundPlan.objects.create(
        project=world.reservoir, year=2020, source="bond", planned=Decimal("1500.00")
    )


def _drawn(client, world) -> dict:
    return page_form(
        client, reverse("funds:project", args=[world.reservoir.pk]) + "?year=2020", "fund-month-form"
    )


def test_it_refuses_a_stale_correction_of_a_month_and_keeps_what_was_typed(plan, world):
    FundMonth.objects.create(plan=plan, month=6, arrived=Decimal("600.00"), paid=Decimal("400.00"))
    office, unit = login(world.office), login(world.water_user)
    office_form, unit_form = _drawn(office, world), _drawn(unit, world)
    url = reverse("funds:month", args=[world.reservoir.pk])
    june = {"plan": str(plan.pk), "month": "6"}
    assert office.post(url, {**office_form, **june, "arrived": "650", "paid": "420"}).status_code == 302

    response = unit.post(url, {**unit_form, **june, "arrived": "600", "paid": "480"})
    assert response.status_code == 409
    page = response.content.decode()
    box = stale_box(page)
    says_who_and_when(box, "office")
    assert "650.00" in box and "480" in box  # the office's month beside the unit's typing
    saved = FundMonth.objects.get(plan=plan, month=6)
    assert (saved.arrived, saved.paid) == (Decimal("650.00"), Decimal("420.00"))
    shown = form_values(page, "fund-month-form")
    assert (shown["arrived"], shown["paid"]) == ("600", "480")
    assert unit.post(url, shown).status_code == 302  # saved again, deliberately
    saved.refresh_from_db()
    assert (saved.arrived, saved.paid) == (Decimal("600.00"), Decimal("480.00"))


def test_another_month_and_a_new_month_record_from_the_same_page(plan, world):
    FundMonth.objects.create(plan=plan, month=6, arrived=Decimal("600.00"), paid=Decimal("400.00"))
    office, unit = login(world.office), login(world.water_user)
    office_form, unit_form = _drawn(office, world), _drawn(unit, world)
    url = reverse("funds:month", args=[world.reservoir.pk])
    june = {"plan": str(plan.pk), "month": "6", "arrived": "650", "paid": "420"}
    assert office.post(url, {**office_form, **june}).status_code == 302
    july = {"plan": str(plan.pk), "month": "7", "arrived": "100", "paid": "50"}
    assert unit.post(url, {**unit_form, **july}).status_code == 302
    assert FundMonth.objects.get(plan=plan, month=7).arrived == Decimal("100.00")


@pytest.mark.parametrize("versions", ["", "garbled", '{"1-6": "x"}', "[]"])
def test_a_garbled_version_is_stale_and_saves_nothing(plan, world, versions):
    FundMonth.objects.create(plan=plan, month=6, arrived=Decimal("600.00"), paid=Decimal("400.00"))
    unit = login(world.water_user)
    url = reverse("funds:month", args=[world.reservoir.pk])
    data = {
        "year": "2020",
        "plan": str(plan.pk),
        "month": "6",
        "arrived": "1",
        "paid": "1",
        "versions": versions,
    }
    assert unit.post(url, data).status_code == 409
    assert FundMonth.objects.get(plan=plan, month=6).arrived == Decimal("600.00")
