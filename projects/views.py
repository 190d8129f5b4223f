"""Ledger pages: list, project page, create and edit, export."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from keyproj.decorators import office_required
from lib.today import current_year

from . import exports
from .filters import SORTS, LedgerFilter
from .forms import PlanMonthFormSet, ProjectForm, TeamFormSet, YearPlanForm
from .history import project_history
from .models import Project, YearPlan
from .selectors import ledger_queryset, ledger_totals, ledger_years


def get_project_for_user(request: HttpRequest, pk: int) -> Project:
    """The project if the user may see it; 404 otherwise, so others' projects do not even exist."""
    return get_object_or_404(Project.objects.for_user(request.user), pk=pk)


def get_project_for_edit(request: HttpRequest, pk: int) -> Project:
    """The project if the user may change it: 404 when it is out of sight, 403 when only readable."""
    project = get_project_for_user(request, pk)
    if not Project.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied(_("You may read this project but not change it."))
    return project


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return current_year()
    return year if 2000 <= year <= 2100 else current_year()


def _month(request: HttpRequest) -> int | None:
    """The month whose figures and lights the ledger shows, if asked for (?month=1..12)."""
    try:
        month = int(request.GET.get("month", ""))
    except ValueError:
        return None
    return month if 1 <= month <= 12 else None


def _page_size(request: HttpRequest) -> int:
    """Rows per page: 50 unless asked otherwise, between 10 and 500 (a bad value means the default)."""
    try:
        size = int(request.GET.get("size", 50))
    except ValueError:
        return 50
    return min(max(size, 10), 500)


def filtered_ledger(request: HttpRequest) -> tuple[LedgerFilter, int, str]:
    year = _year(request)
    plans = ledger_queryset(request.user, year, _month(request))
    ledger = LedgerFilter(request.GET, queryset=plans, user=request.user)
    sort = request.GET.get("sort", "code")
    key = SORTS.get(sort.lstrip("-"), "project__code")
    ledger.qs_sorted = ledger.qs.order_by(("-" if sort.startswith("-") else "") + key, "project__code")
    return ledger, year, sort


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    ledger, year, sort = filtered_ledger(request)
    totals = ledger_totals(ledger.qs)
    paginator = Paginator(ledger.qs_sorted, _page_size(request))
    paginator.count = totals.count  # the totals counted the rows already: no second COUNT query
    page = paginator.get_page(request.GET.get("page"))
    start = (page.number - 1) * page.paginator.per_page
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": ledger,
        "page": page,
        "rows": [(start + i + 1, plan) for i, plan in enumerate(page.object_list)],
        "totals": totals,
        "year": year,
        "month": _month(request),
        "months": range(1, 13),
        "years": ledger_years(request.user) or [year],
        "sort": sort,
        "query": query.urlencode(),
        "can_create": request.user.is_office,
    }
    partial = request.htmx and request.htmx.target != "ledger-page"
    template = "projects/_ledger_table.html" if partial else "projects/ledger.html"
    return render(request, template, context)


@login_required
def ledger_export(request: HttpRequest) -> HttpResponse:
    """The filtered ledger as .xlsx; above KEYPROJ_EXPORT_INLINE_MAX rows, a background job.

    A county's ledger is written in well under a second; a province's takes seconds, too long to
    hold a request (and a worker) for: exchange's export job writes it and offers it when done.
    """
    ledger, year, _sort = filtered_ledger(request)
    if ledger.qs.count() > settings.KEYPROJ_EXPORT_INLINE_MAX:
        return redirect(f"{reverse('exchange:ledger_export')}?{request.GET.urlencode()}")
    return exports.ledger_response(ledger.qs_sorted, year=year, region=request.user.region)


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request, pk)
    project = (
        Project.objects.select_related("sector", "lead_unit", "leader", "region")
        .prefetch_related("cooperating_units", "townships", "team", "plans__months")
        .get(pk=project.pk)
    )
    can_edit = Project.objects.editable_by(request.user).filter(pk=pk).exists()
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "plans": sorted(project.plans.all(), key=lambda p: -p.year),
            "history": project_history(project),
            "can_edit": can_edit,
            "can_plan": request.user.is_office,
        },
    )


@office_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None, user=request.user)
    plan_form = YearPlanForm(request.POST or None, prefix="plan", initial={"year": current_year()})
    if request.method == "POST" and form.is_valid() and plan_form.is_valid():
        with transaction.atomic():
            project = form.save()
            plan = plan_form.save(commit=False)
            plan.project = project
            plan.save()
        messages.success(request, _("Project %(name)s created.") % {"name": project.name})
        return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/form.html", {"form": form, "plan_form": plan_form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_edit(request, pk)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    team = TeamFormSet(request.POST or None, instance=project, prefix="team")
    if request.method == "POST" and form.is_valid() and team.is_valid():
        with transaction.atomic():
            form.save()
            team.save()
        messages.success(request, _("Changes saved."))
        return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/form.html", {"form": form, "team": team, "project": project})


@office_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int, year: int | None = None) -> HttpResponse:
    project = get_project_for_user(request, pk)
    plan = get_object_or_404(YearPlan, project=project, year=year) if year else YearPlan(project=project)
    initial = {} if plan.pk else {"year": current_year()}
    form = YearPlanForm(request.POST or None, instance=plan, initial=initial)
    months = PlanMonthFormSet(request.POST or None, instance=plan, prefix="months")
    if request.method == "POST" and form.is_valid() and months.is_valid():
        planned = sum(
            (
                f.cleaned_data["amount"]
                for f in months.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ),
            start=0,
        )
        chosen = [
            f.cleaned_data["month"]
            for f in months.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if len(chosen) != len(set(chosen)):
            form.add_error(None, _("Each month may appear only once in the monthly plan."))
        elif planned > form.cleaned_data["planned_investment"]:
            form.add_error(None, _("The monthly plan adds up to more than the annual planned investment."))
        else:
            with transaction.atomic():
                plan = form.save()
                months.instance = plan
                months.save()
            messages.success(request, _("Year plan saved."))
            return redirect("projects:detail", pk=project.pk)
    return render(
        request, "projects/plan_form.html", {"form": form, "months": months, "project": project, "plan": plan}
    )
