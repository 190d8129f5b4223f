"""Office pages around reports: reporting status, the not-yet-started board, unit plans, year settings."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import office_required, role_required
from accounts.models import User
from lib import params, schedule
from lib.forms import errors_onto
from lib.today import current_year, today
from projects.models import Project, Unit, YearPlan
from projects.templatetags.kp import gap_class, pct, points, wan
from projects.views import get_project_for_user

from . import exports, services
from .config import rules_for
from .figures import Figures, month_plans, ranked
from .forms import CommitmentForm, YearSettingForm
from .models import MonthlyReport, YearSetting
from .views import period

UNITS_PAGE_SIZE = 100
Role = User.Role
readers = role_required(Role.OFFICE, Role.SUPERVISOR, Role.VIEWER, Role.LEADER)


def _deadline_moment(day: dt.date) -> dt.datetime:
    """The first moment after the deadline day, in the project's time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


@readers
def reporting_status(request: HttpRequest) -> HttpResponse:
    """For a month: who has not reported, and who reported after the deadline."""
    year, month = period(request)
    deadline = rules_for(request.user, year).deadline(month)
    report = MonthlyReport.objects.filter(project_id=OuterRef("project_id"), year=year, month=month)
    counted = Q(report_status__in=MonthlyReport.COUNTED)
    rows = (
        YearPlan.objects.filter(year=year, project__in=Project.objects.for_user(request.user))
        .annotate(
            report_status=Subquery(report.values("status")[:1]),
            first_submitted=Subquery(report.values("first_submitted_at")[:1], output_field=DateTimeField()),
        )
        .annotate(
            state=Case(
                When(counted & Q(first_submitted__gte=_deadline_moment(deadline)), then=Value("late")),
                When(counted, then=Value("on_time")),
                When(report_status=MonthlyReport.Status.RETURNED, then=Value("returned")),
                default=Value("missing"),
                output_field=CharField(),
            )
        )
    )
    # Counts per unit and state come from the database (at most four rows a unit); only the page's
    # units then fetch the projects they are missing, so a province's 20,000 plans stay in the database.
    units: dict[int, dict] = {}
    grouped = rows.order_by().values("project__lead_unit_id", "project__lead_unit__name", "state")
    for row in grouped.annotate(n=Count("pk")):
        unit = units.setdefault(
            row["project__lead_unit_id"],
            {
                "id": row["project__lead_unit_id"],
                "name": row["project__lead_unit__name"],
                "total": 0,
                "on_time": 0,
                "missing_count": 0,
                "late_count": 0,
                "missing": [],
                "returned": [],
                "late": [],
            },
        )
        unit["total"] += row["n"]
        if row["state"] == "on_time":
            unit["on_time"] += row["n"]
        elif row["state"] == "late":
            unit["late_count"] += row["n"]
        else:
            unit["missing_count"] += row["n"]
    table = sorted(units.values(), key=lambda u: (-u["missing_count"], u["name"]))
    page = Paginator(table, 50).get_page(request.GET.get("page"))
    on_page = {u["id"]: u for u in page.object_list}
    for unit_id, unit in Unit.objects.in_bulk(list(on_page)).items():
        on_page[unit_id]["unit"] = unit
    details = (
        rows.filter(project__lead_unit_id__in=list(on_page))
        .exclude(state="on_time")
        .select_related("project")
        .order_by("project__code")
    )
    for row in details:
        on_page[row.project.lead_unit_id][row.state].append(row)
    return render(
        request,
        "reports/status.html",
        {
            "year": year,
            "month": month,
            "months": range(1, 13),
            "deadline": deadline,
            "past_deadline": today() > deadline,
            "units": page.object_list,
            "page": page,
            "missing_total": sum(u["missing_count"] for u in table),
            "late_total": sum(u["late_count"] for u in table),
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
        messages.error(
            request, " ".join(form.errors.get("committed_date", [_("Give a valid committed start date.")]))
        )
    back = params.local_path(request.POST.get("next"), host=request.get_host(), secure=request.is_secure())
    return redirect(back or "board:not_started")


@login_required
def unit_plans(request: HttpRequest) -> HttpResponse:
    """年度完成投资计划: per responsible unit, planned, completed and rate for the month, ranked."""
    year, month = period(request)
    # A province ranks thousands of units: paged, the last page holding the lowest ranks (a link
    # on every page); the export has them all.
    page = Paginator(_ranked(request, year, month), UNITS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/units.html",
        {
            "year": year,
            "month": month,
            "months": range(1, 13),
            "ranked": page.object_list,
            "rows_html": unit_rows_html(page.object_list, year=year, month=month),
            "page": page,
        },
    )


def unit_rows_html(groups: list[Figures], *, year: int, month: int) -> SafeString:
    """The ranking's rows, written in Python (up to 100 a page, nine cells each, four of them
    figures through a filter): the markup templates/reports/_unit_row.html draws, with the same
    formatting functions (tests/test_unit_rows.py holds the two equal)."""
    link = f"{reverse('reports:monthly')}?year={year}&month={month}"
    not_ranked = _(
        "Not ranked: only preparatory projects whose start is not due, so no schedule requirement."
    )
    apart = f'<span title="{escape(not_ranked)}">—</span>'
    out = []
    for f in groups:
        gap_css = gap_class(f.gap)
        lights = f.lights
        out.append(
            f'<tr><td>{f.rank or apart}</td><td><a href="{link}">{escape(f.label)}</a></td>'
            f'<td class="num">{f.projects}</td>\n'
            f'        <td class="num">{wan(f.planned)}</td><td class="num">{wan(f.ytd)}</td>'
            f'<td class="num">{pct(f.rate)}</td><td class="num">{pct(f.target)}</td>\n'
            f'        <td class="num {gap_css}">{points(f.gap)}</td>\n'
            f'        <td class="text-nowrap small"><span class="kp-light red"></span> {lights.get("red", "")} '
            f'<span class="kp-light yellow ms-1"></span> {lights.get("yellow", "")} '
            f'<span class="kp-light green ms-1"></span> {lights.get("green", "")}</td></tr>'
        )
    # The indentation the template's loop gave each row, so that the page reads as it did.
    return mark_safe("".join(f"\n      {row}\n    " for row in out))  # noqa: S308 — every text escaped


def _ranked(request: HttpRequest, year: int, month: int) -> list:
    return ranked(month_plans(request.user, year=year, month=month).figures_by("unit"))


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
    year = (
        params.whole_number(request.GET.get("year") or request.POST.get("year"), 2000, 2100) or current_year()
    )
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
                dispatch_rules={name: data[name] for name in YearSetting.DISPATCH_RULES},
            )
        except ValidationError as exc:
            errors_onto(form, exc)
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
