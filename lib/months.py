"""Month arithmetic, once: the last day of a month and the month before a day. Plain dates, no Django."""

from __future__ import annotations

import datetime as dt


def month_end(year: int, month: int) -> dt.date:
    """The last day of the month (29 February in a leap year)."""
    nxt = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return nxt - dt.timedelta(days=1)


def previous_month(day: dt.date) -> tuple[int, int]:
    """(year, month) of the month before `day`'s: the month a report filed on `day` is usually for."""
    return (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)
