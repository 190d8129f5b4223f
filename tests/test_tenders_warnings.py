"""The bidding warnings beside the schedule light, each at its boundary, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Project, YearPlan
from reports import warnings as registry
from works import warnings

from . import factories as f
from .conftest import login
from .tender_builders import awarded, package

pytestmark = pytest.mark.django_db


def _of(code: str, year: int = 2020) -> dict[int, str]:
    found = registry.for_projects(Project.objects.all(), year)
    return {pid: w.reason for pid, ws in found.items() for w in ws if w.kind == code}


def test_it_registers_the_three_kinds():
    codes = [k.code for k in registry.kinds()]
    assert {"tender_no_contract", "tender_above_budget", "tender_late"} <= set(codes)


# -- tender_no_contract -------------------------------------------------------------------------------
def test_it_warns_a_started_project_without_a_construction_contract(reported, pinned_today):
    found = _of("tender_no_contract")
    assert {reported.reservoir.pk, reported.road.pk} <= set(found)
    assert reported.bridge.pk not in found  # not started
    assert "施工合同" in found[reported.reservoir.pk] or "contract" in found[reported.reservoir.pk]


def test_it_clears_no_contract_once_the_construction_package_is_awarded_with_a_price(reported, pinned_today):
    awarded(reported.reservoir)
    package(
        reported.road,
        kind="supervision",
        awarded_on=dt.date(2020, 3, 1),
        winner="某监理公司",
        contract_price="50.00",
    )
    found = _of("tender_no_contract")
    assert reported.reservoir.pk not in found
    assert reported.road.pk in found  # a supervision contract is not a construction contract


def test_it_keeps_no_contract_for_a_construction_package_only_announced(reported, pinned_today):
    package(reported.reservoir, announced_on=dt.date(2020, 3, 1))
    assert reported.reservoir.pk in _of("tender_no_contract")


def test_it_counts_started_by_the_actual_start_as_the_figures_do(world, pinned_today):
    world.bridge.actual_start = dt.date(2020, 6, 1)
    world.bridge.save()
    assert world.bridge.pk in _of("tender_no_contract")
    assert world.reservoir.pk not in _of("tender_no_contract")  # no report, no actual start


# -- tender_above_budget ------------------------------------------------------------------------------
def test_it_does_not_warn_a_price_equal_to_the_budget(world, pinned_today):
    awarded(world.reservoir, budget="1000.00", price="1000.00")
    assert world.reservoir.pk not in _of("tender_above_budget")


def test_it_warns_a_price_one_cent_above_the_budget(world, pinned_today):
    awarded(world.reservoir, budget="1000.00", price="1000.01", name="一标段")
    reason = _of("tender_above_budget")[world.reservoir.pk]
    assert "一标段" in reason and "1,000.01" in reason and "1,000.00" in reason


def test_it_names_the_discount_rate_and_counts_more_packages(world, pinned_today):
    awarded(world.reservoir, budget="1000.00", price="1050.00", name="一标段")
    awarded(world.reservoir, budget="100.00", price="101.00", name="二标段")
    reason = _of("tender_above_budget")[world.reservoir.pk]
    assert "-5.00%" in reason
    assert "一标段" in reason and "另有1个" in reason


# -- tender_late --------------------------------------------------------------------------------------
@pytest.fixture
def new_start(world):
    """The bridge, a new start planned for November 2020 (starts due from 2020-11-01)."""
    YearPlan.objects.filter(project=world.bridge, year=2020).update(stage="new", planned_start_month=11)
    return world.bridge


def test_it_warns_late_on_day_n(new_start, today_is, settings):
    settings.KEYPROJ_TENDER_LEAD_DAYS = 30
    today_is(dt.date(2020, 10, 2))  # 30 days before 2020-11-01
    reason = _of("tender_late")[new_start.pk]
    assert "2020-11-01" in reason and "30" in reason


def test_it_does_not_warn_late_on_day_n_plus_one(new_start, today_is, settings):
    settings.KEYPROJ_TENDER_LEAD_DAYS = 30
    today_is(dt.date(2020, 10, 1))  # 31 days before
    assert new_start.pk not in _of("tender_late")


def test_it_reads_the_lead_days_from_the_setting(new_start, today_is, settings):
    today_is(dt.date(2020, 10, 2))
    settings.KEYPROJ_TENDER_LEAD_DAYS = 29
    assert new_start.pk not in _of("tender_late")
    settings.KEYPROJ_TENDER_LEAD_DAYS = 31
    today_is(dt.date(2020, 10, 1))
    assert new_start.pk in _of("tender_late")


def test_it_warns_late_when_the_planned_start_has_passed(new_start, today_is):
    today_is(dt.date(2020, 11, 20))
    assert "2020-11-01" in _of("tender_late")[new_start.pk]


def test_it_clears_late_once_a_construction_tender_is_announced(new_start, today_is):
    today_is(dt.date(2020, 10, 20))
    package(new_start, kind="design", announced_on=dt.date(2020, 10, 1))
    assert new_start.pk in _of("tender_late")  # a design tender is not the construction tender
    package(new_start, announced_on=dt.date(2020, 10, 15))
    assert new_start.pk not in _of("tender_late")


def test_it_does_not_warn_late_for_a_started_project(new_start, today_is):
    today_is(dt.date(2020, 10, 20))
    new_start.actual_start = dt.date(2020, 10, 18)
    new_start.save()
    assert new_start.pk not in _of("tender_late")
    assert new_start.pk in _of("tender_no_contract")


def test_it_shows_the_warning_on_the_projects_bidding_page(new_start, world, today_is):
    today_is(dt.date(2020, 10, 20))
    page = login(world.office).get(reverse("works:project", args=[new_start.pk])).content.decode()
    assert 'data-warning="tender_late"' in page
    assert "2020-11-01" in page


# -- fixed query counts ---------------------------------------------------------------------------------
def _queries(year: int = 2020) -> int:
    projects = Project.objects.all()
    with CaptureQueriesContext(connection) as ctx:
        for provider in warnings.PROVIDERS:
            list(provider(projects, year))
    return len(ctx.captured_queries)


def test_it_runs_a_fixed_number_of_queries_whatever_the_number_of_projects(world, pinned_today):
    awarded(world.reservoir, price="1100.00")
    few = _queries()
    for n in range(15):
        p = f.project(region=world.county, lead_unit=world.water, sector=world.reservoir.sector, stage="new")
        YearPlan.objects.filter(project=p).update(planned_start_month=10 + n % 3)
        awarded(p, price="1001.00") if n % 2 else package(p)
        if n % 3 == 0:
            p.actual_start = dt.date(2020, 5, 1)
            p.save()
    assert len(_of("tender_above_budget")) > 5 and _of("tender_late") and _of("tender_no_contract")
    assert _queries() == few == 2  # the year plans (no contract, late) and the packages above budget
