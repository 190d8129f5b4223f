"""Warning lights at every boundary, for started and not-started projects, with their reasons."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.utils import translation

from reports.figures import month_plans
from reports.lights import annotate_reasons

from .report_builders import report, set_plan, started, year_setting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def row(world, project, month):
    rows = annotate_reasons(
        month_plans(world.office, year=2020, month=month).with_projects().filter(project=project), month=month
    )
    return rows[0]


@pytest.fixture
def reservoir(world):
    """Started, 1200 planned: March's linear target is 25.00% = 300."""
    started(world.reservoir)
    set_plan(world.reservoir, planned="1200.00")
    return world.reservoir


def test_it_lights_green_exactly_at_schedule(world, reservoir):
    report(reservoir, 1, "100.00")
    report(reservoir, 3, "200.00")
    r = row(world, reservoir, 3)
    assert (r.ytd, r.rate, r.target, r.gap, r.light) == (
        D("300.00"),
        D("25.00"),
        D("25.00"),
        D("0.00"),
        "green",
    )
    assert r.light_reason == "Exactly on schedule"


def test_it_lights_yellow_just_below_schedule(world, reservoir):
    report(reservoir, 3, "299.88")  # 24.99%
    r = row(world, reservoir, 3)
    assert (r.rate, r.light) == (D("24.99"), "yellow")
    assert r.light_reason == "0.01 points behind schedule"


def test_it_lights_yellow_exactly_at_the_threshold(world, reservoir):
    report(reservoir, 3, "180.00")  # 15.00% = 25 − 10
    r = row(world, reservoir, 3)
    assert (r.rate, r.gap, r.light) == (D("15.00"), D("-10.00"), "yellow")
    assert r.light_reason == "10.0 points behind schedule"


def test_it_lights_red_just_past_the_threshold(world, reservoir):
    report(reservoir, 3, "179.88")  # 14.99%
    r = row(world, reservoir, 3)
    assert (r.rate, r.light) == (D("14.99"), "red")
    assert r.light_reason == "10.0 points behind schedule"


def test_it_uses_the_years_own_threshold(world, reservoir):
    year_setting(world.county, yellow_threshold=D("5.00"))
    report(reservoir, 3, "216.00")  # 18% — 7 points behind
    assert row(world, reservoir, 3).light == "red"
    year_setting(world.county, yellow_threshold=D("8.00"))
    assert row(world, reservoir, 3).light == "yellow"


def test_it_reads_the_published_reason_in_one_decimal(world, reservoir):
    report(reservoir, 4, "380.40")  # 31.70% by April, target 33.33
    r = row(world, reservoir, 4)
    assert r.gap == D("-1.63")
    assert r.light_reason == "1.6 points behind schedule"


def test_it_counts_submitted_but_not_draft_or_returned_reports(world, reservoir):
    report(reservoir, 1, "300.00", status="submitted")
    report(reservoir, 2, "500.00", status="draft")
    report(reservoir, 3, "500.00", status="returned")
    r = row(world, reservoir, 3)
    assert r.ytd == D("300.00")
    assert r.light == "green"


@pytest.mark.parametrize(("month", "light"), [(5, "green"), (6, "yellow"), (7, "red"), (9, "red")])
def test_it_lights_an_unstarted_project_by_its_planned_start_month(world, month, light):
    set_plan(world.bridge, start_month=6)
    r = row(world, world.bridge, month)
    assert r.light == light
    assert r.started_flag is False


def test_it_says_when_an_unstarted_project_was_due(world):
    set_plan(world.bridge, start_month=6)
    assert (
        row(world, world.bridge, 9).light_reason
        == "Planned to start in month 6, still not started in month 9"
    )
    assert row(world, world.bridge, 6).light_reason == "Planned to start in month 6; not started yet"
    with translation.override("zh-hans"):
        rows = annotate_reasons(
            month_plans(world.office, year=2020, month=9).with_projects().filter(project=world.bridge),
            month=9,
        )
    assert "6" in rows[0].light_reason and "9" in rows[0].light_reason


def test_it_stops_the_not_started_rule_once_a_report_says_started(world):
    set_plan(world.bridge, planned="1200.00", start_month=6)
    report(world.bridge, 7, "720.00", started=True, start_date="2020-07-10", status="submitted")
    r = row(world, world.bridge, 7)
    assert r.started_flag is True
    assert r.light == "green"
    assert row(world, world.bridge, 6).light == "yellow"  # the history before the start stays


def test_it_does_not_light_a_preparatory_project_red_for_not_starting(world):
    set_plan(world.bridge, planned="500.00", start_month=None, stage="preparatory")
    r = row(world, world.bridge, 9)
    assert (r.light, r.rate) == ("green", D("0.00"))
    assert r.light_reason == "Preparatory work; no start planned this year"


def test_it_lights_a_zero_plan_green_without_a_rate(world, reservoir):
    set_plan(reservoir, planned="0.00")
    r = row(world, reservoir, 9)
    assert (r.light, r.rate, r.gap) == ("green", None, None)
    assert r.light_reason == "No investment planned for the year"


def test_it_judges_a_started_project_by_its_start_date_not_by_todays_status(world):
    set_plan(world.bridge, start_month=3)
    started(world.bridge, "2020-05-20")
    assert row(world, world.bridge, 4).light == "red"
    assert row(world, world.bridge, 5).started_flag is True
