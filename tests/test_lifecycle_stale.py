"""Two people editing one lifecycle record (issue 13 item 3): a milestone, a source of funds, a pool
candidate, a land plan, an entry of next year's list. The second to save with a form drawn before the first saved is told "changed by X at T",
sees both values and keeps what they typed; nothing is overwritten. As tests/test_lost_update.py does
for projects, plans, reports, blockers and tasks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from funds.models import FundPlan
from land.models import LandPlan
from lists import services as list_services
from lists.models import ListEntry
from milestones.models import Milestone
from pool.models import Candidate

from .conftest import login
from .form_builders import form_values, page_form, says_who_and_when, stale_box
from .land_builders import land_plan
from .list_builders import ready_candidate
from .pool_builders import candidate

pytestmark = pytest.mark.usefixtures("pinned_today")


def refused(response, who: str, *shown: str) -> str:
    page = response.content.decode()
    assert response.status_code == 409
    box = stale_box(page)
    says_who_and_when(box, who)
    for value in shown:
        assert value in box
    return page


def test_a_stale_milestone_edit_is_refused_and_keeps_what_was_typed(world):
    milestone = Milestone.objects.create(
        project=world.reservoir, year=2020, name="主体工程完工", planned_date=dt.date(2020, 9, 30)
    )
    url = reverse("milestones:edit", args=[milestone.pk])
    unit, office = login(world.water_user), login(world.office)
    unit_form, office_form = page_form(unit, url), page_form(office, url)
    assert office.post(url, {**office_form, "planned_date": "2020-11-30"}).status_code == 302
    page = refused(unit.post(url, {**unit_form, "note": "汛期停工"}), "office", "2020-11-30")
    milestone.refresh_from_db()
    assert (milestone.planned_date, milestone.note) == (dt.date(2020, 11, 30), "")
    shown = form_values(page)
    assert (shown["note"], shown["planned_date"]) == ("汛期停工", "2020-11-30")
    assert unit.post(url, shown).status_code == 302  # saving the form as shown keeps both
    milestone.refresh_from_db()
    assert (milestone.planned_date, milestone.note) == (dt.date(2020, 11, 30), "汛期停工")


def test_a_stale_source_of_funds_is_refused_with_both_amounts(world):
    plan = FundPlan.objects.create(project=world.reservoir, year=2020, source="central", planned=D("800.00"))
    url = reverse("funds:plan_edit", args=[plan.pk])
    tab1, tab2 = login(world.office), login(world.water_user)
    form1, form2 = page_form(tab1, url), page_form(tab2, url)
    assert tab1.post(url, {**form1, "planned": "900.00"}).status_code == 302
    page = refused(tab2.post(url, {**form2, "planned": "750.00"}), "office", "900.00", "750.00")
    assert FundPlan.objects.get(pk=plan.pk).planned == D("900.00")
    assert form_values(page)["planned"] == "750.00"


def test_a_stale_candidate_edit_is_refused_and_keeps_what_was_typed(world):
    item = candidate(region=world.county, lead_unit=world.water, sector=world.reservoir.sector)
    url = reverse("pool:edit", args=[item.pk])
    unit, office = login(world.water_user), login(world.office)
    unit_form, office_form = page_form(unit, url), page_form(office, url)
    assert office.post(url, {**office_form, "estimated_investment": "1500.00"}).status_code == 302
    page = refused(unit.post(url, {**unit_form, "location": "梅江镇"}), "office", "1500.00")
    item = Candidate.objects.get(pk=item.pk)
    assert (item.estimated_investment, item.location) == (D("1500.00"), "")
    shown = form_values(page)
    assert (shown["location"], shown["estimated_investment"]) == ("梅江镇", "1500.00")


def test_forms_drawn_after_each_save_save(world):
    milestone = Milestone.objects.create(
        project=world.reservoir, year=2020, name="主体工程完工", planned_date=dt.date(2020, 9, 30)
    )
    url = reverse("milestones:edit", args=[milestone.pk])
    client = login(world.water_user)
    assert client.post(url, {**page_form(client, url), "note": "甲"}).status_code == 302
    assert client.post(url, {**page_form(client, url), "note": "乙"}).status_code == 302
    assert Milestone.objects.get(pk=milestone.pk).note == "乙"


def test_a_stale_land_plan_is_refused_with_both_areas(world):
    plan = land_plan(world.reservoir, world.hongan_town, needed="120.00")
    url = reverse("land:plan_edit", args=[plan.pk])
    tab1, tab2 = login(world.office), login(world.water_user)
    form1, form2 = page_form(tab1, url), page_form(tab2, url)
    assert tab1.post(url, {**form1, "area_needed": "150.00"}).status_code == 302
    page = refused(tab2.post(url, {**form2, "area_needed": "130.00"}), "office", "150.00", "130.00")
    assert LandPlan.objects.get(pk=plan.pk).area_needed == D("150.00")
    assert form_values(page)["area_needed"] == "130.00"


def a_list_entry(world) -> ListEntry:
    draft = list_services.list_draft(user=world.office, year=2021)
    ready = ready_candidate(region=world.county, lead_unit=world.water, sector=world.reservoir.sector)
    list_services.entries_add_candidates(user=world.office, year_list=draft, candidate_ids=[ready.pk])
    return draft.entries.get(candidate=ready)


def test_a_stale_list_entry_is_refused_on_its_page_and_in_its_row(world):
    entry = a_list_entry(world)
    url = reverse("lists:entry_edit", args=[2021, entry.pk])
    tab1, tab2 = login(world.office), login(world.office)
    form1, form2 = page_form(tab1, url), page_form(tab2, url)
    assert tab1.post(url, {**form1, "planned_investment": "2000.00"}).status_code == 302
    page = refused(tab2.post(url, {**form2, "progress_target": "完成主体"}), "office", "2000.00")
    entry = ListEntry.objects.get(pk=entry.pk)
    assert (entry.planned_investment, entry.progress_target) == (D("2000.00"), "")
    assert form_values(page)["progress_target"] == "完成主体"
    # The list's inline row (htmx) answers 200, so the row is swapped, with the box and the new version.
    row = tab2.post(url, {**form2, "progress_target": "完成主体"}, HTTP_HX_REQUEST="true")
    assert row.status_code == 200 and "kp-stale" in row.content.decode()
    assert f'name="version" value="{entry.version}"' in row.content.decode()
    assert ListEntry.objects.get(pk=entry.pk).progress_target == ""
