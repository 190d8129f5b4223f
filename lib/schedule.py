"""The time-elapsed schedule (序时进度) and the arithmetic around it. Plain Decimal, no Django.

All percentages are Decimal with two places; a gap is in percentage points (rate − target).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

LINEAR = "linear"
DAILY = "daily"
CUSTOM = "custom"
MODES = (LINEAR, DAILY, CUSTOM)

HUNDRED = Decimal(100)
PLACES = Decimal("0.01")


def q(value: Decimal, places: Decimal = PLACES) -> Decimal:
    """Round half up (the way offices round) to two places, or to `places`."""
    return value.quantize(places, rounding=ROUND_HALF_UP)


def linear_target(month: int) -> Decimal:
    """month / 12 of the year: 25.00 by March, 66.67 by August."""
    _check_month(month)
    return q(Decimal(month) * HUNDRED / 12)


def daily_target(year: int, month: int) -> Decimal:
    """Days elapsed to the end of `month` ÷ days in the year."""
    _check_month(month)
    month_end = dt.date(year, month, calendar.monthrange(year, month)[1])
    elapsed = month_end.timetuple().tm_yday
    days = 366 if calendar.isleap(year) else 365
    return q(Decimal(elapsed) * HUNDRED / days)


def validate_curve(curve: Sequence[Decimal | str | int]) -> list[Decimal]:
    """A custom cumulative curve: 12 percentages in 0..100, never decreasing, ending at 100.

    Raises ValueError with a short English message when the curve is not acceptable.
    """
    if len(curve) != 12:
        raise ValueError("A curve needs exactly 12 monthly percentages.")
    values = [q(Decimal(str(v))) for v in curve]
    if any(v < 0 or v > HUNDRED for v in values):
        raise ValueError("Every percentage must be between 0 and 100.")
    if any(b < a for a, b in zip(values, values[1:], strict=False)):
        raise ValueError("The curve may not go down from one month to the next.")
    if values[-1] != HUNDRED:
        raise ValueError("The curve must reach 100 in December.")
    return values


def custom_target(curve: Sequence[Decimal | str | int], month: int) -> Decimal:
    _check_month(month)
    return q(Decimal(str(curve[month - 1])))


def target(
    mode: str, *, year: int, month: int, curve: Sequence[Decimal | str | int] | None = None
) -> Decimal:
    """The schedule target in percent for the end of `month`."""
    if mode == LINEAR:
        return linear_target(month)
    if mode == DAILY:
        return daily_target(year, month)
    if mode == CUSTOM:
        if not curve:
            raise ValueError("The custom schedule has no curve.")
        return custom_target(curve, month)
    raise ValueError(f"unknown schedule mode {mode!r}")


def completion_rate(ytd: Decimal, planned: Decimal) -> Decimal | None:
    """Year-to-date ÷ annual plan × 100, two places; None when nothing is planned (shown as "—")."""
    if planned is None or planned <= 0:
        return None
    return q(Decimal(ytd or 0) * HUNDRED / Decimal(planned))


def gap_points(rate: Decimal | None, target_pct: Decimal) -> Decimal | None:
    """Rate − target in percentage points; positive is ahead of schedule."""
    if rate is None:
        return None
    return q(rate - target_pct)


def round_points(gap: Decimal, places: int = 1) -> Decimal:
    """A gap as published (one decimal by default: 31.7% by April is "1.6 points behind")."""
    return q(gap, Decimal(1).scaleb(-places))


def _check_month(month: int) -> None:
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month}")
