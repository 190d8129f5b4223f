"""Land arithmetic (to-date sums of in-month figures), the slip rule at its boundary and its reason,
and the writes that refuse a figure past what the plan needs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from land import selectors, services
from land.models import LandMonth, LandPlan
from projects.models import Project
from reports import warnings

from .land_builders import land_plan

pytestmark = pytest.mark.django_db

DUE = dt.date(2020, 8, 31)


@pytest.fixture
def plan(world):
    return land_plan(
        world.reservoir,
        world.hongan_town,
        needed="120.00",
        farmland="90.00",
        households=20,
        buildings=15,
        compensation="850.00",
        due=DUE,
        months=[
            {
                "year": 2020,
                "month": 5,
                "acquired": "60",
                "handed_over": "50",
                "households_relocated": 5,
                "compensation_paid": "300.50",
            },
            {
                "year": 2020,
                "month": 7,
                "acquired": "40",
                "handed_over": "30",
                "households_relocated": 3,
                "buildings_relocated": 4,
                "compensation_paid": "100.25",
            },
            {"year": 2021, "month": 1, "acquired": "20", "handed_over": "40", "households_relocated": 12},
        ],
    )


def totals(plan, **through):
    return selectors.with_totals(LandPlan.objects.filter(pk=plan.pk), **through).get()


def test_it_sums_the_months_to_date_and_through_a_year(plan):
    to_date = totals(plan)
    assert (to_date.acquired_total, to_date.handed_total) == (Decimal("120.00"), Decimal("120.00"))
    assert (to_date.households_done, to_date.buildings_done) == (20, 4)
    assert to_date.paid_total == Decimal("400.75")
    in_2020 = totals(plan, year=2020)
    assert (in_2020.handed_total, in_2020.households_done) == (Decimal("80.00"), 8)
    june = totals(plan, year=2020, month=6)
    assert (june.acquired_total, june.handed_total, june.paid_total) == (
        Decimal("60.00"),
        Decimal("50.00"),
        Decimal("300.50"),
    )


def test_a_plan_with_no_month_has_zero_done(world):
    bare = land_plan(world.road, world.hongan_town, needed="12.5")
    row = totals(bare)
    assert (row.handed_total, row.households_done, row.paid_total) == (0, 0, 0)
    assert selectors.mu(row.area_needed) == "12.5" and selectors.mu(Decimal("120.00")) == "120"


def land_reasons(projects, year=2020):
    return {
        pk: [w.reason for w in found if w.kind == "land_behind"]
        for pk, found in warnings.for_projects(projects, year).items()
    }


def test_the_slip_warning_starts_the_day_after_the_planned_hand_over(world, today_is):
    land_plan(
        world.reservoir,
        world.hongan_town,
        needed="120",
        due=DUE,
        months=[{"year": 2020, "month": 6, "acquired": "80", "handed_over": "80"}],
    )
    projects = Project.objects.filter(region=world.county)
    today_is(DUE)
    assert land_reasons(projects) == {}
    today_is(DUE + dt.timedelta(days=1))
    with_zh = land_reasons(projects)
    assert list(with_zh) == [world.reservoir.pk]
    assert "120" in with_zh[world.reservoir.pk][0] and "80" in with_zh[world.reservoir.pk][0]
    assert "2020-08-31" in with_zh[world.reservoir.pk][0]


def test_the_reason_reads_in_chinese(world, today_is):
    from django.utils import translation

    land_plan(
        world.reservoir,
        world.hongan_town,
        needed="120",
        due=DUE,
        months=[{"year": 2020, "month": 6, "acquired": "80", "handed_over": "80"}],
    )
    today_is(dt.date(2020, 10, 11))
    with translation.override("zh-hans"):
        reasons = land_reasons(Project.objects.filter(pk=world.reservoir.pk))
    assert reasons[world.reservoir.pk] == ["交地滞后（洪安镇）：需 120 亩，已交 80 亩，计划 2020-08-31"]


def test_land_handed_over_in_full_or_not_yet_due_puts_no_warning(world, today_is):
    today_is(dt.date(2020, 10, 11))
    land_plan(
        world.reservoir,
        world.hongan_town,
        needed="120",
        due=DUE,
        months=[{"year": 2020, "month": 6, "acquired": "120", "handed_over": "120"}],
    )
    land_plan(world.road, world.hongan_town, needed="30", due=dt.date(2020, 12, 31))
    land_plan(world.bridge, world.hongan_town, needed="30")  # no planned date: never behind
    assert land_reasons(Project.objects.filter(region=world.county)) == {}


def test_the_warning_counts_on_the_dashboard_registry(world, today_is):
    today_is(dt.date(2020, 10, 11))
    land_plan(world.reservoir, world.hongan_town, needed="120", due=DUE)
    counted = {kind.code: n for kind, n in warnings.counts(Project.objects.filter(region=world.county), 2020)}
    assert counted["land_behind"] == 1


def test_the_warning_provider_runs_a_fixed_number_of_queries(world, today_is, django_assert_num_queries):
    today_is(dt.date(2020, 10, 11))
    for project in (world.reservoir, world.road, world.bridge):
        land_plan(project, world.hongan_town, needed="10", due=DUE)
    with django_assert_num_queries(1):
        assert len(list(selectors.land_warnings(Project.objects.filter(region=world.county), 2020))) == 3


def test_a_month_past_what_is_needed_is_refused_and_nothing_changes(plan, today_is):
    today_is(dt.date(2021, 2, 10))
    with pytest.raises(ValidationError) as raised:
        services.month_record(plan=plan, year=2021, month=2, figures={"acquired": Decimal("0.01")})
    assert "acquired" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        services.month_record(plan=plan, year=2021, month=2, figures={"households_relocated": 1})
    assert "households_relocated" in raised.value.message_dict
    assert not LandMonth.objects.filter(plan=plan, year=2021, month=2).exists()


def test_handing_over_more_than_acquired_is_refused(world, today_is):
    today_is(dt.date(2020, 10, 11))
    fresh = land_plan(world.road, world.hongan_town, needed="50")
    with pytest.raises(ValidationError) as raised:
        services.month_record(
            plan=fresh, year=2020, month=9, figures={"acquired": Decimal("10"), "handed_over": Decimal("12")}
        )
    assert "handed_over" in raised.value.message_dict


def test_recording_a_month_again_corrects_it(world, today_is):
    today_is(dt.date(2020, 10, 11))
    fresh = land_plan(world.road, world.hongan_town, needed="50")
    services.month_record(plan=fresh, year=2020, month=9, figures={"acquired": Decimal("10")})
    services.month_record(plan=fresh, year=2020, month=9, figures={"acquired": Decimal("7.5")})
    assert totals(fresh).acquired_total == Decimal("7.50")
    assert LandMonth.objects.filter(plan=fresh).count() == 1


def test_a_month_not_yet_begun_is_refused(world, today_is):
    today_is(dt.date(2020, 10, 11))
    fresh = land_plan(world.road, world.hongan_town, needed="50")
    with pytest.raises(ValidationError) as raised:
        services.month_record(plan=fresh, year=2020, month=11, figures={"acquired": Decimal("1")})
    assert "month" in raised.value.message_dict


def test_a_plan_cannot_need_less_than_is_done(plan):
    plan.area_needed = Decimal("100")
    with pytest.raises(ValidationError):
        services.plan_save(plan=plan)
    plan.refresh_from_db()
    assert plan.area_needed == Decimal("120.00")


def test_a_second_plan_in_the_same_township_is_refused(plan, world):
    twin = LandPlan(project=world.reservoir, township=world.hongan_town, area_needed=Decimal("5"))
    with pytest.raises(ValidationError) as raised:
        services.plan_save(plan=twin)
    assert "township" in raised.value.message_dict
