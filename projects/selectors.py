"""Reads of projects that need real query work (the ledger with its month figures is reports.ledger)."""

from __future__ import annotations

from django.db.models import Max, Min

from accounts.models import User
from lib import statements

from .models import YearPlan


def ledger_years(user: User) -> list[int]:
    """The years a year select offers, newest first: every year from the first plan to the last.

    Read as MIN and MAX off the (year, project) index — two index probes — instead of the distinct
    years of a province's 100,000 plans (20–34 ms a page). Which years exist says nothing about
    another unit's projects, so it needs no scope; a year with none of the user's projects shows an
    empty ledger.

    The statement is compiled once per process (lib.statements): it has no parameter, and building
    the aggregate cost more Python than the two probes take to run.
    """
    span = statements.aggregate(
        YearPlan,
        ("ledger years",),
        ("first", "last"),
        lambda: (YearPlan.objects.all(), {"first": Min("year"), "last": Max("year")}),
    )
    first, last = span["first"], span["last"]
    if first is None:
        return []
    return list(range(last, first - 1, -1))
