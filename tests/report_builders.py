"""Builders for monthly reports in tests (owned by the reports app's tests)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reports import months
from reports.models import MonthlyReport, YearSetting


def create_report(**fields) -> MonthlyReport:
    """A report written directly, as a fixture, with its ProjectMonth summary kept the way the
    report services keep it (tests that exercise the workflow call the services instead)."""
    stored = MonthlyReport.objects.create(**fields)
    months.refresh(stored.project_id, stored.year)
    return stored


def report(project, month: int, amount: str, *, year: int = 2020, status: str = "approved", by=None, **extra):
    by = by or project.lead_unit.users.first()
    if by is None:
        from accounts.models import User

        by = User.objects.filter(role="office").first()
    return create_report(
        project=project,
        year=year,
        month=month,
        amount=Decimal(amount),
        progress=extra.pop("progress", "施工中"),
        status=status,
        created_by=by,
        **extra,
    )


def started_report(
    project, month: int, amount: str, *, by, status: str = "approved", year: int = 2020
) -> MonthlyReport:
    """A report under construction (施工中) that also records the project as started."""
    return create_report(
        project=project,
        year=year,
        month=month,
        amount=Decimal(amount),
        progress="施工中",
        status=status,
        started=True,
        created_by=by,
    )


def corrected(project, month: int, amount: str, *, by, year: int = 2020) -> MonthlyReport:
    """An approved report corrected the way the office does it: reopened, saved, resubmitted and
    approved again, all through the report services."""
    from reports import services

    stored = MonthlyReport.objects.get(project=project, year=year, month=month)
    services.report_reopen(report=stored, by=by, reason="更正")
    services.report_save(project=project, year=year, month=month, data={"amount": Decimal(amount)}, by=by)
    services.report_submit(report=stored, by=by)
    return services.report_approve(report=stored, by=by)


def plan(project, year: int = 2020):
    return project.plans.get(year=year)


def set_plan(
    project, *, planned: str | None = None, start_month: int | None = None, year: int = 2020, **extra
):
    p = plan(project, year)
    if planned is not None:
        p.planned_investment = Decimal(planned)
    p.planned_start_month = start_month
    for k, v in extra.items():
        setattr(p, k, v)
    p.save()
    return p


def started(project, on: str = "2019-05-01"):
    project.actual_start = dt.date.fromisoformat(on)
    project.save()
    return project


def year_setting(region, year: int = 2020, **values) -> YearSetting:
    return YearSetting.objects.update_or_create(region=region, year=year, defaults=values)[0]
