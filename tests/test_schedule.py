"""The time-elapsed schedule: published examples, the three modes, zero plans."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from lib import schedule


def test_it_reproduces_the_march_example_five_ninety_points_ahead():
    target = schedule.linear_target(3)
    assert target == D("25.00")
    rate = schedule.completion_rate(D("309.00"), D("1000.00"))
    assert rate == D("30.90")
    assert schedule.gap_points(rate, target) == D("5.90")


def test_it_reproduces_the_august_example_seven_thirty_three_points_ahead():
    target = schedule.linear_target(8)
    assert target == D("66.67")
    rate = schedule.completion_rate(D("740.00"), D("1000.00"))
    assert schedule.gap_points(rate, target) == D("7.33")


def test_it_reproduces_the_april_example_one_point_six_behind_when_rounded_to_one_decimal():
    target = schedule.linear_target(4)
    assert target == D("33.33")
    rate = schedule.completion_rate(D("317.00"), D("1000.00"))
    gap = schedule.gap_points(rate, target)
    assert gap == D("-1.63")
    assert schedule.round_points(gap) == D("-1.6")


def test_it_gives_no_rate_for_a_zero_plan():
    assert schedule.completion_rate(D("10.00"), D("0.00")) is None
    assert schedule.gap_points(None, D("25.00")) is None


def test_it_reads_a_month_before_the_first_report_as_nothing_done():
    assert schedule.completion_rate(D("0"), D("1000.00")) == D("0.00")
    assert schedule.gap_points(D("0.00"), schedule.linear_target(1)) == D("-8.33")


@pytest.mark.parametrize(("month", "expected"), [(1, "8.33"), (6, "50.00"), (12, "100.00")])
def test_it_spreads_the_linear_schedule_by_month(month, expected):
    assert schedule.target(schedule.LINEAR, year=2020, month=month) == D(expected)


def test_it_counts_elapsed_days_in_the_daily_schedule():
    # 2020 is a leap year: 31 January is day 31 of 366; 31 March is day 91.
    assert schedule.daily_target(2020, 1) == D("8.47")
    assert schedule.daily_target(2020, 3) == D("24.86")
    assert schedule.daily_target(2021, 2) == D("16.16")  # 59 / 365
    assert schedule.target(schedule.DAILY, year=2020, month=12) == D("100.00")


def test_it_follows_a_custom_curve_fifty_percent_by_may():
    curve = ["5", "10", "20", "35", "50", "60", "68", "76", "84", "90", "95", "100"]
    assert schedule.target(schedule.CUSTOM, year=2020, month=5, curve=curve) == D("50.00")
    assert schedule.validate_curve(curve)[-1] == D("100.00")


@pytest.mark.parametrize(
    "curve",
    [
        ["10"] * 11,
        ["5", "4", "20", "35", "50", "60", "68", "76", "84", "90", "95", "100"],
        ["5", "10", "20", "35", "50", "60", "68", "76", "84", "90", "95", "99"],
        ["-1", "10", "20", "35", "50", "60", "68", "76", "84", "90", "95", "100"],
    ],
)
def test_it_refuses_a_curve_that_is_short_decreasing_unfinished_or_negative(curve):
    with pytest.raises(ValueError):
        schedule.validate_curve(curve)
