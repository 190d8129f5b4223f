"""Reads of reports that are not month figures: who has not reported, the latest reported month,
a project's months. The month figures themselves come from reports/figures.py only."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery

from accounts.models import User
from lib.months import previous_month
from lib.today import today
from projects.models import Project, YearPlan

from .figures import month_plans
from .lights import annotate_reasons
from .models import MonthlyReport


def counted(year: int) -> QuerySet[MonthlyReport]:
    """The year's reports that count in figures (MonthlyReport.COUNTED)."""
    return MonthlyReport.objects.filter(year=year, status__in=MonthlyReport.COUNTED)


def missing_reports(user: User, *, year: int, month: int) -> QuerySet[YearPlan]:
    """Plans in scope with no submitted or approved report for the month (drafts and returns count as
    missing). For a unit user: only the projects it leads — the ones it must report."""
    plans = YearPlan.objects.filter(year=year, project__in=Project.objects.for_user(user))
    if user.is_unit:
        plans = plans.filter(project__lead_unit_id=user.unit_id)
    filed = counted(year).filter(project_id=OuterRef("project_id"), month=month)
    return (
        plans.exclude(Exists(filed))
        .select_related("project__lead_unit", "project__sector", "project__leader")
        .annotate(
            report_status=Subquery(
                MonthlyReport.objects.filter(
                    project_id=OuterRef("project_id"), year=year, month=month
                ).values("status")[:1]
            )
        )
        .order_by("project__lead_unit__name", "project__code")
    )


def awaiting_approval(user: User) -> QuerySet[MonthlyReport]:
    """The approval queue: reports in scope submitted and not yet approved or returned, the longest
    waiting first."""
    return (
        MonthlyReport.objects.filter(
            project__in=Project.objects.for_user(user).values("pk"), status=MonthlyReport.Status.SUBMITTED
        )
        .select_related("project__lead_unit")
        .order_by(F("submitted_at").asc(nulls_first=True), "pk")
    )


def latest_period(user: User) -> tuple[int, int]:
    """The latest (year, month) with a submitted or approved report in scope; else last month.

    Walks the (year, month, status, project) index backwards from the newest month, checking the
    scope per entry, so the province stops at its first entry and a county after a few hundred.
    The walk is bounded to this year and last; only a scope with no recent report looks further.
    """
    in_scope = Exists(Project.objects.for_user(user).filter(pk=OuterRef("project_id")))
    reports = MonthlyReport.objects.filter(in_scope, status__in=MonthlyReport.COUNTED)
    newest_first = ("-year", "-month")
    last = (
        reports.filter(year__gte=today().year - 1)
        .order_by(*newest_first)
        .values_list("year", "month")
        .first()
    )
    if last is None:
        last = reports.order_by(*newest_first).values_list("year", "month").first()
    return tuple(last) if last else previous_month(today())


def period_from(user: User, year: str | None, month: str | None) -> tuple[int, int]:
    """The (year, month) a page or endpoint was asked for; by default the latest month with counted
    reports in scope (December of an earlier year asked without a month). A value that is not a
    year 2000..2100 or a month 1..12 means the default. The latest month is looked up only when
    needed: a page asked for a period costs no query for it."""
    try:
        y = int(year) if year else None
        m = int(month) if month else None
    except ValueError:
        y = m = None
    if y is not None and not 2000 <= y <= 2100 or m is not None and not 1 <= m <= 12:
        y = m = None
    if y is not None and m is not None:
        return y, m
    latest_year, latest_month = latest_period(user)
    if y is None:
        return latest_year, latest_month if m is None else m
    return y, latest_month if y == latest_year else 12


def project_months(user: User, project: Project, *, year: int, upto: int) -> list:
    """A project's rows for months 1..upto of a year (light, reason, ytd, report status), oldest first.

    One small query per month: used on the project page only, never per row of a list.
    """
    months = []
    for month in range(1, upto + 1):
        rows = annotate_reasons(
            month_plans(user, year=year, month=month).filter(project=project), month=month
        )
        if not rows:
            return []
        rows[0].month = month
        months.append(rows[0])
    return months
