"""Reads of the ledger that need real query work."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum

from accounts.models import User
from lib.money import q2
from regions.models import Township

from .models import Project, YearPlan


def ledger_queryset(user: User, year: int) -> QuerySet[YearPlan]:
    """The year's plans of every project the user may see, with what a ledger row shows."""
    return (
        YearPlan.objects.filter(year=year, project__in=Project.objects.for_user(user))
        .select_related("project__sector", "project__lead_unit", "project__leader", "project__region")
        .prefetch_related(Prefetch("project__townships", queryset=Township.objects.only("id", "name")))
    )


@dataclass(frozen=True)
class LedgerTotals:
    count: int
    total_investment: Decimal
    planned_investment: Decimal


def ledger_totals(plans: QuerySet[YearPlan]) -> LedgerTotals:
    """One aggregate query over the filtered ledger (not the page)."""
    row = plans.order_by().aggregate(
        n=Count("pk"), total=Sum("project__total_investment"), plan=Sum("planned_investment")
    )
    return LedgerTotals(count=row["n"], total_investment=q2(row["total"]), planned_investment=q2(row["plan"]))


def ledger_years(user: User) -> list[int]:
    return list(
        YearPlan.objects.filter(project__in=Project.objects.for_user(user))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
