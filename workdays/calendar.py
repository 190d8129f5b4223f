"""Working days (工作日): the one place that counts them.

A day is a working day unless it is a weekend or a public holiday, and a weekend day the State Council
moved work onto (调休) is one. The years chinese-calendar knows (2004 to 2026 in 1.11) come from it; for a
later year the office enters the State Council's notice (HolidayNotice), and until it does only weekends
count — `known(year)` says which, so pages can say so, and nothing ever raises for an unknown year.
A year the office entered a notice for is counted from that notice (and weekends) alone, even if the
library knows it: the office's word is the correction.

    calendar = WorkCalendar.load()          # one query, for a page or a job
    calendar.workdays_between(a, b)         # working days after a, up to and including b
    calendar.add_workdays(a, 20)            # the 20th working day after a
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache

import chinese_calendar

from .models import HolidayNotice

ONE_DAY = dt.timedelta(days=1)


@cache
def library_knows(year: int) -> bool:
    """Whether chinese-calendar has the holiday arrangement of `year`."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class WorkCalendar:
    """The working days, with the notices the office entered (read once when loaded)."""

    def __init__(self, entered: dict[dt.date, bool], noticed_years: Iterable[int]) -> None:
        self._entered = entered
        self._noticed = frozenset(noticed_years)
        self._cache: dict[dt.date, bool] = {}

    @classmethod
    def load(cls) -> WorkCalendar:
        """The calendar with every entered notice (a small table: one query)."""
        rows = list(HolidayNotice.objects.values_list("year", "days__date", "days__is_workday"))
        entered = {date: is_workday for _, date, is_workday in rows if date is not None}
        return cls(entered, {year for year, _, _ in rows})

    def known(self, year: int) -> bool:
        """Whether the holidays of `year` are known (library or notice); if not, weekends alone count."""
        return year in self._noticed or library_knows(year)

    def is_workday(self, day: dt.date) -> bool:
        found = self._cache.get(day)
        if found is None:
            found = self._cache[day] = self._decide(day)
        return found

    def _decide(self, day: dt.date) -> bool:
        if day in self._entered:
            return self._entered[day]
        if day.year not in self._noticed and library_knows(day.year):
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when end is not after start): a node
        submitted on a Monday and approved on the Tuesday took one working day."""
        count, day = 0, start + ONE_DAY
        while day <= end:
            count += self.is_workday(day)
            day += ONE_DAY
        return count

    def add_workdays(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th working day after `start` (`start` itself for 0)."""
        day = start
        while days > 0:
            day += ONE_DAY
            days -= self.is_workday(day)
        return day

    def next_workday(self, day: dt.date) -> dt.date:
        """`day` if it is a working day, else the first working day after it."""
        while not self.is_workday(day):
            day += ONE_DAY
        return day


def current() -> WorkCalendar:
    """A freshly loaded calendar (for a single question; a page or job asking many should keep one)."""
    return WorkCalendar.load()


def is_workday(day: dt.date) -> bool:
    return current().is_workday(day)


def workdays_between(start: dt.date, end: dt.date) -> int:
    return current().workdays_between(start, end)


def add_workdays(start: dt.date, days: int) -> dt.date:
    return current().add_workdays(start, days)


def next_workday(day: dt.date) -> dt.date:
    return current().next_workday(day)


def known(year: int) -> bool:
    return current().known(year)
