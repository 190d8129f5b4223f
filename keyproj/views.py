from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from battlemap.selectors import red_list
from blockers.selectors import as_of_label, awaiting_leader, awaiting_meeting, blocker_counts, counts_as_of
from lib.months import previous_month
from lib.params import BadParameter
from lib.today import today
from projects.models import Project
from reports.config import rules_for
from reports.figures import month_plans
from reports.models import MonthlyReport
from reports.selectors import awaiting_approval, missing_reports
from supervision.selectors import open_tasks_for, overdue_tasks, task_counts

# How many rows each list on the home page shows; each links to the page with all of them.
HOME_LIST = 10


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page; a parameter refused by lib.params says which and why (other 400s, such as a
    malformed upload, keep the page's general sentence: their messages are not meant for users)."""
    message = str(exception) if isinstance(exception, BadParameter) else ""
    return render(request, "400.html", {"message": message}, status=400)


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
    """The year at a glance, then what the user's role has to act on: a unit what it owes (reports
    due, returned reports, its tasks); a leader the red-lit projects in their charge, blockers
    escalated to them and overdue tasks; the county head the red list; the office the approval
    queue, missing reports and blockers awaiting the meeting; the supervision office overdue tasks."""
    user = request.user
    # The figures of the month last reported on (September on 11 October), all from one aggregate;
    # blockers and tasks counted as the dashboard counts them for that month (today).
    report_year, report_month = previous_month(today())
    on = counts_as_of(report_year, report_month)
    plans = month_plans(user, year=report_year, month=report_month)
    context = {
        "year": report_year,
        "today": today(),
        "report_year": report_year,
        "report_month": report_month,
        "figures": plans.figures(),
        "blockers": blocker_counts(user, as_of=on),
        "tasks": task_counts(user, as_of=on),
        "as_of_label": as_of_label(on),
        "show_tasks": user.is_unit,
    }
    if user.is_unit:
        context.update(_unit_home(user, report_year, report_month))
        context["my_tasks"] = open_tasks_for(user)
    if user.is_leader or user.is_viewer:
        context["red"] = red_list(user, year=report_year, month=report_month, plans=plans)
    if user.is_leader:
        context["escalated"] = list(awaiting_leader(user)[:HOME_LIST])
    if user.is_leader or user.is_supervisor:
        context["overdue_tasks"] = overdue_tasks(user, as_of=on, limit=HOME_LIST)
    if user.is_office:
        queue = awaiting_approval(user)
        missing = missing_reports(user, year=report_year, month=report_month)
        context.update(
            queue=list(queue[:HOME_LIST]),
            queue_count=queue.count(),
            missing=list(missing[:HOME_LIST]),
            missing_count=missing.count(),
            awaiting_meeting=list(awaiting_meeting(user)[:HOME_LIST]),
        )
    return render(request, "home.html", context)


def _unit_home(user, report_year: int, report_month: int) -> dict:
    deadline = rules_for(user, report_year).deadline(report_month)
    return {
        "owed": list(missing_reports(user, year=report_year, month=report_month)),
        "deadline": deadline,
        "past_deadline": today() > deadline,
        "returned": list(
            MonthlyReport.objects.filter(
                project__in=Project.objects.for_user(user),
                project__lead_unit_id=user.unit_id,
                status=MonthlyReport.Status.RETURNED,
            )
            .select_related("project")
            .order_by("year", "month")
        ),
    }
