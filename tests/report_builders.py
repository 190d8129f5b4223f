"""Builders for monthly reports in tests (owned by the reports app's tests)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reports.models import MonthlyReport, YearSetting


def report(project, month: int, amount: str, *, year: int = 2020, status: str = "approved", by=None, **extra):
    by = by or project.lead_unit.users.first()
    if by is None:
        from accounts.models import User

        by = User.objects.filter(role="office").first()
    return MonthlyReport.objects.create(
        project=project,
        year=year,
        month=month,
        amount=Decimal(amount),
        progress=extra.pop("progress", "施工中"),
        status=status,
        created_by=by,
        **extra,
    )


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
