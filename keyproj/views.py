from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from lib.today import current_year, today
from projects.selectors import ledger_queryset, ledger_totals


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
    year = current_year()
    plans = ledger_queryset(request.user, year)
    totals = ledger_totals(plans)
    started = plans.filter(project__actual_start__isnull=False).count()
    context = {
        "year": year,
        "today": today(),
        "totals": totals,
        "started": started,
        "not_started": totals.count - started,
    }
    return render(request, "home.html", context)
