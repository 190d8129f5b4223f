"""lib/today: the clock in Asia/Shanghai, unless KEYPROJ_TODAY pins the day (as `make run` does for the
demo county). The one test module whose subject is the variable, so the one that sets it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured

from lib import today as clock

from .conftest import SHANGHAI

LATE_EVENING_UTC = dt.datetime(2020, 10, 10, 20, 30, tzinfo=dt.UTC)  # 04:30 on the 11th in Shanghai


def test_it_reads_the_day_in_asia_shanghai_not_utc():
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        assert clock.today() == dt.date(2020, 10, 11)
        assert clock.now() == LATE_EVENING_UTC.astimezone(SHANGHAI)
        assert clock.current_year() == 2020


def test_it_follows_the_frozen_clock_of_the_fixture(today_is):
    today_is(dt.date(2021, 1, 4))
    assert clock.today() == dt.date(2021, 1, 4) and clock.now().hour == 9


def test_it_is_not_pinned_by_a_variable_left_in_the_shell(pinned_today):
    assert clock.today() == pinned_today == dt.date(2020, 10, 11)


def test_it_takes_the_day_from_keyproj_today_when_set(monkeypatch):
    monkeypatch.setenv("KEYPROJ_TODAY", " 2020-10-11 ")
    with time_machine.travel(dt.datetime(2026, 3, 2, 15, 45, tzinfo=SHANGHAI), tick=False):
        assert clock.today() == dt.date(2020, 10, 11)
        assert clock.current_year() == 2020
        # The pinned day at the current wall-clock time, in Asia/Shanghai.
        assert clock.now() == dt.datetime(2020, 10, 11, 15, 45, tzinfo=SHANGHAI)


def test_it_falls_back_to_the_clock_when_keyproj_today_is_blank(monkeypatch):
    monkeypatch.setenv("KEYPROJ_TODAY", "  ")
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        assert clock.today() == dt.date(2020, 10, 11)


def test_it_refuses_a_keyproj_today_that_is_not_a_date(monkeypatch):
    monkeypatch.setenv("KEYPROJ_TODAY", "11/10/2020")
    with pytest.raises(ImproperlyConfigured, match="KEYPROJ_TODAY must be YYYY-MM-DD, got '11/10/2020'"):
        clock.today()
