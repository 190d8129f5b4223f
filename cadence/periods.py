"""Periods the cadence documents cover: a week (Monday–Sunday), a month, a quarter."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    year: int
    month: int  # the month whose figures the document uses (a quarter's last month)
    label: str  # in documents (always Chinese): 2020年第41周（10月5日—10月11日）, 2020年9月, 2020年第三季度
    short: str = ""  # in a document's title, where the label's brackets would nest: 2020年第41周
    week: int = 0
    quarter: int = 0

    @property
    def display(self) -> str:
        """The period on a page, in the user's language."""
        if self.week:
            return _("Week %(week)s of %(year)s (%(start)s – %(end)s)") % {
                "week": self.week,
                "year": self.start.isocalendar().year,
                "start": date_format(self.start, "MONTH_DAY_FORMAT"),
                "end": date_format(self.end, "MONTH_DAY_FORMAT"),
            }
        if self.quarter:
            # The Chinese form names the quarter in words (第三季度); English uses the digit.
            names = {"quarter": self.quarter, "name": QUARTER_NAMES[self.quarter], "year": self.year}
            return _("Q%(quarter)s %(year)s") % names
        return date_format(self.start, "YEAR_MONTH_FORMAT")


def week_of(day: dt.date) -> Period:
    start = day - dt.timedelta(days=day.weekday())
    end = start + dt.timedelta(days=6)
    week = start.isocalendar().week
    short = f"{start.year}年第{week}周"
    label = f"{short}（{start.month}月{start.day}日—{end.month}月{end.day}日）"
    return Period(start, end, start.year, start.month, label, short, week=week)


def month_period(year: int, month: int) -> Period:
    end = dt.date(year, month, calendar.monthrange(year, month)[1])
    label = f"{year}年{month}月"
    return Period(dt.date(year, month, 1), end, year, month, label, label)


QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}


def quarter_period(year: int, quarter: int) -> Period:
    last = quarter * 3
    end = dt.date(year, last, calendar.monthrange(year, last)[1])
    label = f"{year}年第{QUARTER_NAMES[quarter]}季度"
    return Period(dt.date(year, last - 2, 1), end, year, last, label, label, quarter=quarter)


def previous_quarter(day: dt.date) -> tuple[int, int]:
    q = (day.month - 1) // 3 + 1
    return (day.year - 1, 4) if q == 1 else (day.year, q - 1)
