"""The project ledger (项目台账): the year's plans in scope with the month's figures, filtered,
sorted, totalled, paged and exported. It lives with the reports because every figure it shows —
year to date, rate, gap, light, started — is a month figure (reports/figures.py)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import IntegerField, QuerySet, Sum, Value
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.models import User
from lib.money import q2
from lib.months import previous_month
from lib.today import current_year, today
from projects import exports
from projects.filters import SORTS, LedgerFilter
from projects.models import YearPlan
from projects.selectors import ledger_years

from .figures import PagedRows, month_plans


def ledger_month(year: int) -> int:
    """The month whose lights the ledger shows: the last month reported on ("today" is in October →
    September), December for a past year, January for a future one. Costs no query."""
    latest_year, latest_month = previous_month(today())
    if year == latest_year:
        return latest_month
    return 12 if year < latest_year else 1


def ledger_queryset(user: User, year: int, month: int | None = None) -> QuerySet[YearPlan]:
    """The year's plans of every project the user may see, with what a ledger row shows, including
    the month's figures and warning light (reports/figures.py; annotation light_month says which)."""
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


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return current_year()
    return year if 2000 <= year <= 2100 else current_year()


def _month(request: HttpRequest) -> int | None:
    """The month whose figures and lights the ledger shows, if asked for (?month=1..12)."""
    try:
        month = int(request.GET.get("month", ""))
    except ValueError:
        return None
    return month if 1 <= month <= 12 else None


def _page_size(request: HttpRequest) -> int:
    """Rows per page: 50 unless asked otherwise, between 10 and 500 (a bad value means the default)."""
    try:
        size = int(request.GET.get("size", 50))
    except ValueError:
        return 50
    return min(max(size, 10), 500)


def filtered_ledger(request: HttpRequest) -> tuple[LedgerFilter, int, str]:
    year = _year(request)
    plans = ledger_queryset(request.user, year, _month(request))
    ledger = LedgerFilter(request.GET, queryset=plans, user=request.user)
    sort = request.GET.get("sort", "code")
    key = SORTS.get(sort.lstrip("-"), "project__code")
    ledger.qs_sorted = ledger.qs.order_by(("-" if sort.startswith("-") else "") + key, "project__code")
    return ledger, year, sort


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    ledger, year, sort = filtered_ledger(request)
    totals = ledger_totals(ledger.qs)
    # The totals counted the rows already: no second COUNT query.
    paginator = Paginator(PagedRows(ledger.qs_sorted, count=totals.count), _page_size(request))
    page = paginator.get_page(request.GET.get("page"))
    start = (page.number - 1) * page.paginator.per_page
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": ledger,
        "page": page,
        "rows": [(start + i + 1, plan) for i, plan in enumerate(page.object_list)],
        "totals": totals,
        "year": year,
        "month": _month(request),
        "months": range(1, 13),
        "years": ledger_years(request.user) or [year],
        "sort": sort,
        "query": query.urlencode(),
        "can_create": request.user.is_office,
    }
    partial = request.htmx and request.htmx.target != "ledger-page"
    template = "projects/_ledger_table.html" if partial else "projects/ledger.html"
    return render(request, template, context)


@login_required
def ledger_export(request: HttpRequest) -> HttpResponse:
    """The filtered ledger as .xlsx; above KEYPROJ_EXPORT_INLINE_MAX rows, a background job.

    A county's ledger is written in well under a second; a province's takes seconds, too long to
    hold a request (and a worker) for: exchange's export job writes it and offers it when done.
    """
    ledger, year, _sort = filtered_ledger(request)
    if ledger.qs.count() > settings.KEYPROJ_EXPORT_INLINE_MAX:
        return redirect(f"{reverse('exchange:ledger_export')}?{request.GET.urlencode()}")
    return exports.ledger_response(ledger.qs_sorted, year=year, region=request.user.region)
