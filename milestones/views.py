"""Milestone pages: a project's milestones of a year (edited in place), the register, its export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lib import concurrency, params
from lib.today import current_year, today
from projects.models import Project
from projects.views import get_project_for_edit, get_project_for_user

from . import exports, selectors
from .forms import MilestoneForm
from .models import Milestone

PER_PAGE = 50
STATES = ("slipped", "all")


def _year(request: HttpRequest) -> int:
    return params.whole_number(request.GET.get("year"), 2000, 2100) or current_year()


def _back(milestone: Milestone) -> str:
    return f"{reverse('milestones:project', args=[milestone.project_id])}?year={milestone.year}"


def get_milestone_for_edit(request: HttpRequest, pk: int) -> Milestone:
    """The milestone if the user may change it: 404 when out of sight, 403 when only readable."""
    milestone = get_object_or_404(Milestone.objects.for_user(request.user).select_related("project"), pk=pk)
    if not Milestone.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied(_("You may read this project's milestones but not change them."))
    return milestone


def _with_state(milestones, on) -> list[Milestone]:
    rows = list(milestones)
    for m in rows:
        m.state = selectors.state(m, on)
        m.days_late = selectors.days_late(m, on)
    return rows


@login_required
def project(request: HttpRequest, pk: int) -> HttpResponse:
    """One project's milestones of a year, with their states; editors add and change them here."""
    item = get_project_for_user(request, pk)
    year = _year(request)
    on = today()
    can_edit = Project.objects.editable_by(request.user).filter(pk=item.pk).exists()
    rows = _with_state(Milestone.objects.filter(project=item, year=year), on)
    form = MilestoneForm(project=item, year=year) if can_edit else None
    return render(
        request,
        "milestones/project.html",
        {"project": item, "year": year, "rows": rows, "form": form, "can_edit": can_edit, "today": on},
    )


@login_required
@require_POST
def create(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_project_for_edit(request, pk)
    year = params.whole_number(request.POST.get("year"), 2000, 2100) or current_year()
    form = MilestoneForm(request.POST, project=item, year=year)
    if form.is_valid():
        milestone = form.save()
        messages.success(request, _("Milestone saved."))
        return redirect(_back(milestone))
    on = today()
    rows = _with_state(Milestone.objects.filter(project=item, year=year), on)
    context = {"project": item, "year": year, "rows": rows, "form": form, "can_edit": True, "today": on}
    return render(request, "milestones/project.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_milestone_for_edit(request, pk)
    form = MilestoneForm(
        request.POST or None, instance=milestone, project=milestone.project, year=milestone.year
    )
    concurrency.carry_version(form, milestone)  # two people may edit one milestone (issue 13)
    if request.method == "POST" and form.is_valid():
        conflict = concurrency.save_checked(form, milestone, form.save)
        if conflict is None:
            messages.success(request, _("Milestone saved."))
            return redirect(_back(milestone))
        context = {"form": form, "milestone": milestone, "conflict": conflict}
        return render(request, "milestones/form.html", context, status=409)
    status = 400 if request.method == "POST" else 200
    return render(request, "milestones/form.html", {"form": form, "milestone": milestone}, status=status)


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a milestone; its history keeps what it was and who removed it."""
    milestone = get_milestone_for_edit(request, pk)
    back = _back(milestone)
    milestone.soft_delete(by=request.user)
    messages.success(request, _("Milestone removed."))
    return redirect(back)


def _register_rows(request: HttpRequest):
    year = _year(request)
    state = request.GET.get("state") if request.GET.get("state") in STATES else "slipped"
    on = today()
    rows = Milestone.objects.for_user(request.user).filter(year=year)
    if state == "slipped":
        rows = selectors.slipped(rows, on)
    rows = selectors.slipped_first(rows.select_related("project__lead_unit"), on)
    return year, state, on, rows


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """The year's milestones in scope, slipped first (the oldest first); all of them on request."""
    year, state, on, rows = _register_rows(request)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = _with_state(page.object_list, on)
    slipped_count = selectors.slipped(Milestone.objects.for_user(request.user).filter(year=year), on).count()
    return render(
        request,
        "milestones/register.html",
        {"year": year, "state": state, "page": page, "slipped_count": slipped_count, "today": on},
    )


@login_required
def register_export(request: HttpRequest) -> HttpResponse:
    year, state, on, rows = _register_rows(request)
    return exports.register_response(_with_state(rows, on), year=year, on=on, region=request.user.region)
