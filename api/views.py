"""JSON under /api/v1/: the same figures as the pages, with the same scoping. Anonymous → 401."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps

from django.apps import apps
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from lib.today import today
from reports.config import month_end
from reports.figures import GROUPS, month_plans
from reports.lights import annotate_reasons
from reports.selectors import latest_period


def api_login_required(view: Callable) -> Callable:
    """401 with a JSON body instead of a redirect to the login page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> JsonResponse:
        if not request.user.is_authenticated:
            return JsonResponse({"error": "authentication required"}, status=401)
        return view(request, *args, **kwargs)

    return wrapper


class BadRequest(ValueError):
    pass


def _period(request: HttpRequest) -> tuple[int, int]:
    """year/month from the query; the latest month with reports in scope by default."""
    raw_year, raw_month = request.GET.get("year"), request.GET.get("month")
    if not raw_year and not raw_month:
        return latest_period(request.user)
    try:
        year = int(raw_year) if raw_year else latest_period(request.user)[0]
        month = int(raw_month) if raw_month else 12
    except ValueError:
        raise BadRequest("year and month must be integers")
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise BadRequest("year must be 2000..2100 and month 1..12")
    return year, month


def _on(year: int, month: int) -> dt.date:
    """The month's last day, or today if that is earlier."""
    return min(month_end(year, month), today())


def _number(value) -> float | None:
    return None if value is None else float(value)


def handles_bad_request(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> JsonResponse:
        try:
            return view(request, *args, **kwargs)
        except BadRequest as exc:
            return JsonResponse({"error": str(exc)}, status=400)

    return wrapper


@require_GET
@api_login_required
@handles_bad_request
def summary(request: HttpRequest) -> JsonResponse:
    """The caller's scope for a month, as PRODUCT.md's contract says."""
    year, month = _period(request)
    fig = month_plans(request.user, year=year, month=month).figures()
    on = _on(year, month)
    blockers = {"open": 0, "overdue": 0}
    tasks_overdue = 0
    if apps.is_installed("blockers"):
        from blockers.selectors import blocker_counts

        blockers = blocker_counts(request.user, on=on)
    if apps.is_installed("supervision"):
        from supervision.selectors import overdue_task_count

        tasks_overdue = overdue_task_count(request.user, on=on)
    return JsonResponse(
        {
            "year": year,
            "month": month,
            "projects": fig.projects,
            "planned_investment": f"{fig.planned:.2f}",
            "ytd_investment": f"{fig.ytd:.2f}",
            "completion_rate": _number(fig.rate),
            "schedule_target": _number(fig.target),
            "gap_points": _number(fig.gap),
            "lights": fig.lights,
            "not_started": fig.not_started,
            "blockers_open": blockers["open"],
            "blockers_overdue": blockers["overdue"],
            "tasks_overdue": tasks_overdue,
        }
    )


@require_GET
@api_login_required
@handles_bad_request
def figures(request: HttpRequest) -> JsonResponse:
    """Figures per unit, sector, township, leader or region."""
    year, month = _period(request)
    by = request.GET.get("by", "unit")
    if by not in GROUPS:
        return JsonResponse({"error": f"by must be one of {', '.join(GROUPS)}"}, status=400)
    groups = month_plans(request.user, year=year, month=month).figures_by(by)
    return JsonResponse({"year": year, "month": month, "by": by, "groups": [g.as_json() for g in groups]})


@require_GET
@api_login_required
@handles_bad_request
def lights(request: HttpRequest) -> JsonResponse:
    """Every project's light for the month with its reason and figures."""
    year, month = _period(request)
    rows = annotate_reasons(
        month_plans(request.user, year=year, month=month).with_projects().order_by("project__code"),
        month=month,
    )
    return JsonResponse(
        {
            "year": year,
            "month": month,
            "projects": [
                {
                    "id": row.project_id,
                    "code": row.project.code,
                    "name": row.project.name,
                    "unit": row.project.lead_unit.name,
                    "planned_investment": f"{row.planned_investment:.2f}",
                    "ytd_investment": f"{row.ytd:.2f}",
                    "completion_rate": _number(row.rate),
                    "schedule_target": _number(row.target),
                    "gap_points": _number(row.gap),
                    "started": row.started_flag,
                    "light": row.light,
                    "reason": row.light_reason,
                }
                for row in rows
            ],
        }
    )
