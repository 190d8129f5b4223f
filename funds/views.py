"""Funds pages: a project's funds by source and month, the totals by source, their export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lib import concurrency, params
from lib.forms import errors_onto
from lib.today import current_year
from projects.models import Project
from projects.views import get_project_for_edit, get_project_for_user

from . import exports, selectors, services
from .forms import MonthForm, PlanForm
from .models import FundMonth, FundPlan

PER_PAGE = 50
MONTHS = range(1, 13)


def _year(data) -> int:
    return params.whole_number(data.get("year"), 2000, 2100) or current_year()


def _back(project_id: int, year: int) -> str:
    return f"{reverse('funds:project', args=[project_id])}?year={year}"


def get_plan_for_edit(request: HttpRequest, pk: int) -> FundPlan:
    """The plan if the user may change it: 404 when out of sight, 403 when only readable."""
    plan = get_object_or_404(FundPlan.objects.for_user(request.user).select_related("project"), pk=pk)
    if not FundPlan.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied(_("You may read this project's funds but not change them."))
    return plan


def _month_key(plan_id: int, month: int) -> str:
    return f"{plan_id}-{month}"


def _month_line(arrived, paid) -> str:
    field = FundMonth._meta.get_field
    return f"{field('arrived').verbose_name} {arrived} · {field('paid').verbose_name} {paid}"


def _project_page(
    request, item: Project, year: int, *, plan_form=None, month_form=None, conflict=None, status=200
):
    can_edit = Project.objects.editable_by(request.user).filter(pk=item.pk).exists()
    plans = FundPlan.objects.filter(project=item, year=year)
    listed = list(selectors.with_totals(plans).order_by("source"))
    months = selectors.months_of(p.pk for p in listed)
    for plan in listed:
        plan.rate = selectors.arrival_rate(plan.arrived_total, plan.planned)
        plan.by_month = [months.get(plan.pk, {}).get(m) for m in MONTHS]
    rows, total = selectors.by_source(plans)
    funds = selectors.per_project(plans, year).get(item.pk)
    if can_edit:
        plan_form = plan_form or PlanForm(project=item, year=year)
        if month_form is None and listed:
            month_form = MonthForm(plans=plans, auto_id="id_month_%s")
            # The months it may correct, at the versions shown: another's correction since is told (issue 13).
            versions = {
                _month_key(m.plan_id, m.month): m.version for m in FundMonth.objects.filter(plan__in=plans)
            }
            concurrency.carry_versions(month_form, versions)
    context = {
        "project": item,
        "year": year,
        "plans": listed,
        "total": total,
        "funds": funds,
        "warning": selectors.reason(funds) if funds and funds.behind else "",
        "can_edit": can_edit,
        "plan_form": plan_form if can_edit else None,
        "month_form": month_form if can_edit else None,
        "conflict": conflict,
        "months": MONTHS,
    }
    return render(request, "funds/project.html", context, status=status)


@login_required
def project(request: HttpRequest, pk: int) -> HttpResponse:
    """One project's funds of a year: each source planned, arrived and paid to date, month by month."""
    return _project_page(request, get_project_for_user(request, pk), _year(request.GET))


@login_required
@require_POST
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_project_for_edit(request, pk)
    year = _year(request.POST)
    form = PlanForm(request.POST, project=item, year=year)
    if form.is_valid():
        form.save()
        messages.success(request, _("Source of funds saved."))
        return redirect(_back(item.pk, year))
    return _project_page(request, item, year, plan_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_edit(request, pk)
    form = PlanForm(request.POST or None, instance=plan, project=plan.project, year=plan.year)
    concurrency.carry_version(form, plan)  # the unit and the office may edit one source (issue 13)
    if request.method == "POST" and form.is_valid():
        conflict = concurrency.save_checked(form, plan, form.save)
        if conflict is None:
            messages.success(request, _("Source of funds saved."))
            return redirect(_back(plan.project_id, plan.year))
        context = {"form": form, "plan": plan, "conflict": conflict}
        return render(request, "funds/plan_form.html", context, status=409)
    status = 400 if request.method == "POST" else 200
    return render(request, "funds/plan_form.html", {"form": form, "plan": plan}, status=status)


@login_required
@require_POST
def month_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record (or correct) one month of one source of a project's year."""
    item = get_project_for_edit(request, pk)
    year = _year(request.POST)
    plans = FundPlan.objects.filter(project=item, year=year)
    form = MonthForm(request.POST, plans=plans, auto_id="id_month_%s")
    concurrency.carry_versions(form, {})  # what the page carried is in the posted data
    if form.is_valid():
        data = form.cleaned_data
        key = _month_key(data["plan"].pk, data["month"])
        try:
            with transaction.atomic():
                FundPlan.objects.select_for_update().get(pk=data["plan"].pk)  # one writer per plan
                saved = FundMonth.objects.filter(plan=data["plan"], month=data["month"]).first()
                concurrency.check_version_of(form, key, saved)
                services.month_record(
                    plan=data["plan"], month=data["month"], arrived=data["arrived"], paid=data["paid"]
                )
        except concurrency.Stale as stale:
            conflict = concurrency.versions_conflict(form, key, stale.current)
            concurrency.rows_conflict(
                conflict,
                f"{data['plan'].get_source_display()} · {_('Month %(m)d') % {'m': data['month']}}",
                [_month_line(stale.current.arrived, stale.current.paid)],
                [_month_line(data["arrived"], data["paid"])],
            )
            return _project_page(request, item, year, month_form=form, conflict=conflict, status=409)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Month recorded."))
            return redirect(_back(item.pk, year))
    return _project_page(request, item, year, month_form=form, status=400)


def _register(request: HttpRequest):
    year = _year(request.GET)
    plans = FundPlan.objects.for_user(request.user).filter(year=year)
    return year, plans


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """Funds by source for the year in scope (planned, arrived, paid, arrival rate), and the projects
    whose reported investment runs ahead of the money arrived."""
    year, plans = _register(request)
    rows, total = selectors.by_source(plans)
    funds = selectors.per_project(plans, year)
    behind_ids = [pid for pid, row in funds.items() if row.behind]
    behind = Project.objects.filter(pk__in=behind_ids).select_related("lead_unit").order_by("code")
    page = Paginator(behind, PER_PAGE).get_page(request.GET.get("page"))
    for item in page.object_list:
        item.funds = funds[item.pk]
    return render(
        request,
        "funds/register.html",
        {"year": year, "rows": rows, "total": total, "page": page, "behind_count": len(behind_ids)},
    )


@login_required
def register_export(request: HttpRequest) -> HttpResponse:
    year, plans = _register(request)
    rows, total = selectors.by_source(plans)
    funds = selectors.per_project(plans, year)
    projects = Project.objects.filter(pk__in=list(funds)).select_related("lead_unit").order_by("code")
    return exports.register_response(rows, total, projects, funds, year=year, region=request.user.region)
