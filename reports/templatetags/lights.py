"""`{% load lights %}`: the words behind a row's light, for rows annotated by reports.selectors."""

from __future__ import annotations

from django import template

from lib.months import previous_month
from lib.today import today
from reports.lights import reason
from reports.selectors import project_months as months_of

register = template.Library()


@register.filter
def light_reason(row, month: int | None = None) -> str:
    """Why the row has its light; the month comes from the argument or the row's `light_month`."""
    if getattr(row, "light_reason", None):
        return row.light_reason
    month = month or getattr(row, "light_month", None)
    if month is None or not getattr(row, "light", None):
        return ""
    return reason(
        row.light,
        month=int(month),
        started=row.started_flag,
        planned_start_month=row.planned_start_month,
        rate=row.rate,
        gap=row.gap,
        stage=getattr(row, "stage", None),
    )


@register.inclusion_tag("reports/_project_months.html", takes_context=True)
def project_months(context: template.Context, project, year: int | None = None) -> dict:
    """The month-by-month light history of a project for a year (default: the current one)."""
    user = context["request"].user
    last_year, last_month = previous_month(today())
    year = year or today().year
    upto = last_month if year == last_year else (12 if year < last_year else 0)
    return {
        "project": project,
        "year": year,
        "months": months_of(user, project, year=year, upto=upto),
        "request": context["request"],
    }
