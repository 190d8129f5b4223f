"""Office pages around reports: reporting status, the not-yet-started board, unit plans, year settings."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, Case, DateTimeField, OuterRef, Prefetch, Subquery, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keyproj.decorators import office_required, role_required
from lib import schedule
from lib.today import current_year, today
from projects.models import Project, YearPlan
from projects.views import get_project_for_user

from . import exports, services
from .config import setting_for
from .forms import CommitmentForm, YearSettingForm
from .lights import annotate_reasons
from .models import MonthlyReport, StartCommitment, YearSetting
from .selectors import group_figures, plan_rows
from .views import period

readers = role_required("office", "supervisor", "viewer", "leader")


def _deadline_moment(day: dt.date) -> dt.datetime:
    """The first moment after the deadline day, in the project's time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


@readers
def reporting_status(request: HttpRequest) -> HttpResponse:
    """For a month: who has not reported, and who reported after the deadline."""
    year, month = period(request)
    deadline = setting_for(request.user.region, year).deadline(month)
    report = MonthlyReport.objects.filter(project_id=OuterRef("project_id"), year=year, month=month)
    rows = (
        YearPlan.objects.filter(year=year, project__in=Project.objects.for_user(request.user))
        .select_related("project__lead_unit")
        .annotate(
            report_status=Subquery(report.values("status")[:1]),
            first_submitted=Subquery(report.values("first_submitted_at")[:1], output_field=DateTimeField()),
        )
        .annotate(
            late=Case(
                When(first_submitted__gte=_deadline_moment(deadline), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("project__lead_unit__name", "project__code")
    )
    units: dict[int, dict] = {}
    for row in rows:
        unit = units.setdefault(
            row.project.lead_unit_id,
            {
                "unit": row.project.lead_unit,
                "total": 0,
                "missing": [],
                "late": [],
                "returned": [],
                "on_time": 0,
            },
        )
        unit["total"] += 1
        if row.report_status not in MonthlyReport.COUNTED:
            (
                unit["returned"] if row.report_status == MonthlyReport.Status.RETURNED else unit["missing"]
            ).append(row)
        elif row.late:
            unit["late"].append(row)
        else:
            unit["on_time"] += 1
    table = sorted(units.values(), key=lambda u: (-len(u["missing"]) - len(u["returned"]), u["unit"].name))
    return render(
        request,
        "reports/status.html",
        {
            "year": year,
            "month": month,
            "months": range(1, 13),
            "deadline": deadline,
            "past_deadline": today() > deadline,
            "units": table,
            "missing_total": sum(len(u["missing"]) + len(u["returned"]) for u in table),
            "late_total": sum(len(u["late"]) for u in table),
        },
    )


def commitment_story(commitments: list[StartCommitment]) -> tuple[StartCommitment | None, list[dict]]:
    """The current commitment and each slip ("moved from X to Y on Z"), oldest first."""
    ordered = sorted(commitments, key=lambda c: (c.at, c.pk))
    moves = [
        {"old": a.committed_date, "new": b.committed_date, "on": b.at, "by": b.by, "source": b.source}
        for a, b in zip(ordered, ordered[1:], strict=False)
        if a.committed_date != b.committed_date
    ]
    return (ordered[-1] if ordered else None), moves


def _board_rows(request: HttpRequest, year: int, month: int) -> list:
    commitments = StartCommitment.objects.select_related("by").order_by("at", "pk")
    rows = (
        plan_rows(request.user, year=year, month=month)
        .filter(started_flag=False)
        .prefetch_related(Prefetch("project__start_commitments", queryset=commitments))
    )
    if apps.is_installed("blockers"):
        from blockers.models import Blocker

        open_blockers = Blocker.objects.filter(
            status__in=[Blocker.Status.OPEN, Blocker.Status.COORDINATING]
        ).order_by("deadline", "pk")
        rows = rows.prefetch_related(
            Prefetch("project__blockers", queryset=open_blockers, to_attr="open_blockers")
        )
    rows = annotate_reasons(rows.order_by("planned_start_month", "project__code"), month=month)
    for row in rows:
        row.commitment, row.moves = commitment_story(list(row.project.start_commitments.all()))
        row.blockers = getattr(row.project, "open_blockers", [])
        row.can_commit = services.can_file(request.user, row.project)
    return rows


@login_required
def not_started(request: HttpRequest) -> HttpResponse:
    """未开工项目: every project of the year not started by the month, with blockers and commitments."""
    year, month = period(request)
    rows = _board_rows(request, year, month)
    return render(
        request,
        "reports/not_started.html",
        {
            "year": year,
            "month": month,
            "months": range(1, 13),
            "rows": rows,
            "blockers_app": apps.is_installed("blockers"),
            "form": CommitmentForm(),
            "today": today(),
        },
    )


@login_required
@require_POST
def commit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request, pk)
    if not services.can_file(request.user, project):
        raise PermissionDenied(
            _("Only the project's responsible unit or the office sets its committed start.")
        )
    form = CommitmentForm(request.POST)
    if form.is_valid():
        services.commit_start(
            project=project,
            date=form.cleaned_data["committed_date"],
            by=request.user,
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Committed start date recorded for %(name)s.") % {"name": project.name})
    else:
        messages.error(request, _("Give a valid committed start date."))
    return redirect(request.POST.get("next") or "reports:not_started")


@login_required
def unit_plans(request: HttpRequest) -> HttpResponse:
    """年度完成投资计划: per responsible unit, planned, completed and rate for the month, ranked."""
    year, month = period(request)
    ranked = _ranked(request, year, month)
    return render(
        request,
        "reports/units.html",
        {"year": year, "month": month, "months": range(1, 13), "ranked": ranked},
    )


def _ranked(request: HttpRequest, year: int, month: int) -> list:
    figures = group_figures(request.user, year=year, month=month, by="unit")
    # Units with nothing planned cannot be ranked by rate; they go last.
    return sorted(figures, key=lambda f: (f.rate is None, -(f.rate or 0), f.label))


@login_required
def unit_plans_export(request: HttpRequest) -> HttpResponse:
    year, month = period(request)
    return exports.units_response(
        _ranked(request, year, month), year=year, month=month, region=request.user.region
    )


@office_required
@require_http_methods(["GET", "POST"])
def year_settings(request: HttpRequest) -> HttpResponse:
    """The office sets the deadline day, the yellow threshold and the schedule for its region's year."""
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or current_year())
    except ValueError:
        year = current_year()
    region = request.user.region
    instance = YearSetting.objects.filter(region=region, year=year).first() or YearSetting(
        region=region, year=year
    )
    form = YearSettingForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.year_setting_save(
                region=region,
                year=year,
                deadline_day=data["deadline_day"],
                yellow_threshold=data["yellow_threshold"],
                mode=data["mode"],
                curve=data["curve"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Settings for %(year)s saved.") % {"year": year})
            return redirect(f"{request.path}?year={year}")
    targets = [
        (m, instance.target(m) if instance.mode != schedule.CUSTOM or instance.curve else None)
        for m in range(1, 13)
    ]
    return render(
        request,
        "reports/settings.html",
        {"form": form, "year": year, "region": region, "targets": targets, "saved": instance.pk is not None},
        status=400 if request.method == "POST" else 200,
    )
