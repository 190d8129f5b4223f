"""Reads of projects that need real query work (the ledger with its month figures is reports.ledger)."""

from __future__ import annotations

from django.db.models import Subquery

from accounts.models import User
from lib import statements

from .models import YearPlan


def ledger_years(user: User) -> list[int]:
    """The years a year select offers, newest first: every year from the first plan to the last.

    Read as the first and the last year off the (year, project) index — two index probes — instead of the distinct
    years of a province's 100,000 plans (20–34 ms a page). Which years exist says nothing about
    another unit's projects, so it needs no scope; a year with none of the user's projects shows an
    empty ledger.

    The statement is compiled once per process (lib.statements): it has no parameter, and building
    the aggregate cost more Python than the two probes take to run.
    """
    # Two ordered probes, not MIN and MAX in one aggregate: SQLite answers a lone MIN or MAX off an
    # index but scans every plan for both together (8.6 ms on the province bench, 100,000 plans).
    by_year = YearPlan.objects.order_by("year").values("year")
    found = statements.rows(
        YearPlan,
        ("ledger years",),
        lambda: (
            YearPlan.objects.order_by()
            .annotate(first=Subquery(by_year[:1]), last=Subquery(by_year.reverse()[:1]))
            .values_list("first", "last")[:1]
        ),
    )
    if not found:
        return []
    first, last = found[0]
    return list(range(last, first - 1, -1))
