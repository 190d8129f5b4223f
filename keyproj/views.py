from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from lib.months import previous_month
from lib.today import today
from projects.models import Project
from reports.config import rules_for
from reports.figures import month_plans
from reports.models import MonthlyReport
from reports.selectors import missing_reports
from supervision.selectors import open_tasks_for


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 once the database answers; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 — any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The year at a glance; for a unit, first of all what it owes (reports due, returned reports)."""
    user = request.user
    # The figures of the month last reported on (September on 11 October), all from one aggregate.
    report_year, report_month = previous_month(today())
    context = {
        "year": report_year,
        "today": today(),
        "report_year": report_year,
        "report_month": report_month,
        "figures": month_plans(user, year=report_year, month=report_month).figures(),
    }
    if user.is_unit:
        deadline = rules_for(user, report_year).deadline(report_month)
        context.update(
            owed=list(missing_reports(user, year=report_year, month=report_month)),
            deadline=deadline,
            past_deadline=today() > deadline,
            returned=list(
                MonthlyReport.objects.filter(
                    project__in=Project.objects.for_user(user),
                    project__lead_unit_id=user.unit_id,
                    status=MonthlyReport.Status.RETURNED,
                )
                .select_related("project")
                .order_by("year", "month")
            ),
        )
    context["my_tasks"] = open_tasks_for(user)
    context["show_tasks"] = True
    return render(request, "home.html", context)
