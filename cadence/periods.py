"""Periods the cadence documents cover: a week (Monday–Sunday), a month, a quarter."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    year: int
    month: int  # the month whose figures the document uses (a quarter's last month)
    label: str  # 2020年第41周（10月5日—10月11日）, 2020年9月, 2020年第三季度


def week_of(day: dt.date) -> Period:
    start = day - dt.timedelta(days=day.weekday())
    end = start + dt.timedelta(days=6)
    week = start.isocalendar().week
    label = f"{start.year}年第{week}周（{start.month}月{start.day}日—{end.month}月{end.day}日）"
    return Period(start, end, start.year, start.month, label)


def month_period(year: int, month: int) -> Period:
    end = dt.date(year, month, calendar.monthrange(year, month)[1])
    return Period(dt.date(year, month, 1), end, year, month, f"{year}年{month}月")


QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}


def quarter_period(year: int, quarter: int) -> Period:
    last = quarter * 3
    end = dt.date(year, last, calendar.monthrange(year, last)[1])
    return Period(dt.date(year, last - 2, 1), end, year, last, f"{year}年第{QUARTER_NAMES[quarter]}季度")


def previous_quarter(day: dt.date) -> tuple[int, int]:
    q = (day.month - 1) // 3 + 1
    return (day.year - 1, 4) if q == 1 else (day.year, q - 1)
