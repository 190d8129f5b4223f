"""Reads of the ledger that need real query work."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import IntegerField, Max, Min, QuerySet, Sum, Value

from accounts.models import User
from lib.money import q2
from lib.today import today

from .models import YearPlan


def ledger_month(year: int) -> int:
    """The month whose lights the ledger shows: the last month reported on ("today" is in October →
    September), December for a past year, January for a future one. Costs no query."""
    from reports.config import previous_month

    latest_year, latest_month = previous_month(today())
    if year == latest_year:
        return latest_month
    return 12 if year < latest_year else 1


def ledger_queryset(user: User, year: int, month: int | None = None) -> QuerySet[YearPlan]:
    """The year's plans of every project the user may see, with what a ledger row shows, including
    the month's figures and warning light (reports/figures.py; annotation light_month says which)."""
    from reports.figures import month_plans

    month = month or ledger_month(year)
    return (
        month_plans(user, year=year, month=month)
        .with_projects()
        .annotate(light_month=Value(month, output_field=IntegerField()))
    )


@dataclass(frozen=True)
class LedgerTotals:
    count: int
    total_investment: Decimal
    planned_investment: Decimal
    ytd: Decimal = Decimal("0.00")
    green: int = 0
    yellow: int = 0
    red: int = 0
    started: int = 0
    not_started: int = 0
    light_month: int | None = None


def ledger_totals(plans: QuerySet[YearPlan]) -> LedgerTotals:
    """The totals row of the filtered ledger (not the page): its month figures, and the projects'
    total investment, in one aggregate query."""
    figures, extra = plans.figures_with(total=Sum("project__total_investment"))
    return LedgerTotals(
        count=figures.projects,
        total_investment=q2(extra["total"]),
        planned_investment=figures.planned,
        ytd=figures.ytd,
        green=figures.lights["green"],
        yellow=figures.lights["yellow"],
        red=figures.lights["red"],
        started=figures.started,
        not_started=figures.not_started,
        light_month=plans.query.annotations["light_month"].value,
    )


def ledger_years(user: User) -> list[int]:
    """The years a year select offers, newest first: every year from the first plan to the last.

    Read as MIN and MAX off the (year, project) index — two index probes — instead of the distinct
    years of a province's 100,000 plans (20–34 ms a page). Which years exist says nothing about
    another unit's projects, so it needs no scope; a year with none of the user's projects shows an
    empty ledger.
    """
    span = YearPlan.objects.aggregate(first=Min("year"), last=Max("year"))
    if span["first"] is None:
        return []
    return list(range(span["last"], span["first"] - 1, -1))
