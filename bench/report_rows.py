"""Monthly report rows for the bench: every started project reports each month of each year."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone

CENT = Decimal("0.01")


def rows(scale: Any, w: Any, rng: random.Random, plan_facts: list, model: Any) -> Iterator[dict]:
    """Reports for (plan, project, year, planned, start year) facts; ids are taken from the writer.

    A project's pace is drawn once per year (55 %–125 % of the linear schedule) so that lights vary.
    The last month of the last year is partly submitted, partly draft (not counted) — like a live county.
    """
    total = 0
    plan_months: list[tuple[int, int, Decimal, int]] = []
    for _plan, pid, year, planned, start_year in plan_facts:
        if start_year is None or start_year > year:
            continue
        first = 3 if start_year == year else 1
        last = scale.last_month if year == scale.last_year else 12
        if first > last:
            continue
        plan_months.append((pid, year, planned, first))
        total += last - first + 1
    ids = iter(w.ids(model, total))
    author = w.bench_user_id
    stamp = timezone.make_aware(dt.datetime(scale.last_year, scale.last_month, 1, 9))
    for pid, year, planned, first in plan_months:
        last = scale.last_month if year == scale.last_year else 12
        pace = Decimal(rng.randint(55, 125)) / 100
        monthly = planned * pace / 12
        for month in range(first, last + 1):
            amount = (monthly * Decimal(rng.randint(70, 130)) / 100).quantize(CENT, rounding=ROUND_HALF_UP)
            current = year == scale.last_year and month == last
            status = ("submitted" if rng.random() < 0.7 else "draft") if current else "approved"
            yield {
                "id": next(ids),
                "project_id": pid,
                "year": year,
                "month": month,
                "amount": amount,
                "progress": "按计划推进",
                "completion_pct": Decimal(min(100, month * 8)),
                "started": True,
                "start_date": dt.date(year, first, 1) if month == first else None,
                "workers": 30,
                "status": status,
                "submitted_at": stamp if status != "draft" else None,
                "first_submitted_at": stamp if status != "draft" else None,
                "approved_at": stamp if status == "approved" else None,
                "created_by_id": author,
                "created": stamp,
                "updated": stamp,
            }
