"""Reads of the ledger that need real query work."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum

from accounts.models import User
from lib.money import q2
from lib.today import today
from regions.models import Township

from .models import Project, YearPlan


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
    the month's derived figures and warning light (annotations ytd, rate, gap, light, light_month)."""
    from django.db.models import IntegerField, Value

    from reports.selectors import annotate_month

    month = month or ledger_month(year)
    plans = (
        YearPlan.objects.filter(year=year, project__in=Project.objects.for_user(user))
        .select_related("project__sector", "project__lead_unit", "project__leader", "project__region")
        .prefetch_related(Prefetch("project__townships", queryset=Township.objects.only("id", "name")))
    )
    return annotate_month(plans, user, year=year, month=month).annotate(
        light_month=Value(month, output_field=IntegerField())
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
    light_month: int | None = None


def ledger_totals(plans: QuerySet[YearPlan]) -> LedgerTotals:
    """One aggregate query over the filtered ledger (not the page)."""
    from reports.selectors import light_tally, split_tally

    extra = {}
    if "light" in plans.query.annotations:
        # One packed tally evaluates the light once a row, not once per colour.
        extra = {"ytd_sum": Sum("ytd"), "tally": light_tally()}
    row = plans.order_by().aggregate(
        n=Count("pk"),
        total=Sum("project__total_investment"),
        plan=Sum("planned_investment"),
        **extra,
    )
    if "tally" in row:
        row.update(split_tally(row["tally"]))
    return LedgerTotals(
        count=row["n"],
        total_investment=q2(row["total"]),
        planned_investment=q2(row["plan"]),
        ytd=q2(row.get("ytd_sum")),
        green=row.get("green", 0),
        yellow=row.get("yellow", 0),
        red=row.get("red", 0),
        light_month=getattr(plans.query.annotations.get("light_month"), "value", None),
    )


def ledger_years(user: User) -> list[int]:
    return list(
        YearPlan.objects.filter(project__in=Project.objects.for_user(user))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
