"""Project pages: the project page, create and edit (the ledger list is reports.ledger)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import office_required
from lib import concurrency
from lib.forms import errors_onto
from lib.today import current_year

from . import baseline
from .forms import PlanMonthFormSet, ProjectForm, TeamFormSet, YearPlanForm
from .history import project_history
from .models import BaselineRevision, Project, YearPlan


def get_project_for_user(request: HttpRequest, pk: int) -> Project:
    """The project if the user may see it; 404 otherwise, so others' projects do not even exist."""
    return get_object_or_404(Project.objects.for_user(request.user), pk=pk)


def get_project_for_edit(request: HttpRequest, pk: int) -> Project:
    """The project if the user may change it: 404 when it is out of sight, 403 when only readable."""
    project = get_project_for_user(request, pk)
    if not Project.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied(_("You may read this project but not change it."))
    return project


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
            "baseline": baseline.card(project),
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


def _kept(formset) -> list[dict]:
    """The rows a valid formset will save: filled in and not marked for deletion."""
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def _member(name: str, position: str, phone: str) -> str:
    return " ".join(part for part in (name, position, phone) if part)


def _month(month: int, amount) -> str:
    return f"{_('Month %(m)d') % {'m': month}} {amount:,.2f}"


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_edit(request, pk)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    concurrency.carry_version(form, project)
    team = TeamFormSet(request.POST or None, instance=project, prefix="team", by=request.user)
    if request.method == "POST" and form.is_valid() and team.is_valid():
        requested = None
        try:
            with transaction.atomic():
                # Another office or the unit may have saved since this form was drawn (issue 13).
                concurrency.lock_seen(project, concurrency.seen_version(form, project))
                requested = _save_with_revision(request, form)
                team.save()
        except concurrency.Stale as stale:
            conflict = concurrency.conflict(form, stale.current)
            concurrency.rows_conflict(
                conflict,
                str(_("Special team")),
                [_member(m.name, m.position, m.phone) for m in stale.current.team.all()],
                [_member(d["name"], d["position"], d["phone"]) for d in _kept(team)],
            )
            context = {"form": form, "team": team, "project": project, "conflict": conflict}
            return render(request, "projects/form.html", context, status=409)
        except ValidationError as exc:  # a request already waiting: nothing saved, the form as typed
            errors_onto(form, exc)
            return render(request, "projects/form.html", {"form": form, "team": team, "project": project})
        if requested:
            messages.success(
                request,
                _("Changes saved. The new total investment or dates went to the office as a request."),
            )
        else:
            messages.success(request, _("Changes saved."))
        return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/form.html", {"form": form, "team": team, "project": project})


def _save_with_revision(request: HttpRequest, form: ProjectForm) -> BaselineRevision | None:
    """Save the edit. A change of the baseline fields by the office is saved and recorded as an
    approved revision; by a unit it is filed as a request (returned) and the project keeps its
    values. Call inside the edit's transaction."""
    before, typed = form.baseline_before, form.baseline_changes
    reason = form.cleaned_data.get("revision_reason", "")
    if request.user.is_office or not typed:
        project = form.save()
        baseline.revision_record(
            user=request.user,
            project=project,
            before=before,
            reason=reason,
            approval_number=form.cleaned_data.get("approval_number", ""),
            approving_authority=form.cleaned_data.get("approving_authority", ""),
        )
        return None
    project = form.save(commit=False)
    for name, value in before.items():
        setattr(project, name, value)  # kept until the office approves
    project.save()
    form.save_m2m()
    return baseline.revision_request(user=request.user, project=project, new=typed, reason=reason)


@office_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int, year: int | None = None) -> HttpResponse:
    project = get_project_for_user(request, pk)
    plan = get_object_or_404(YearPlan, project=project, year=year) if year else YearPlan(project=project)
    initial = {} if plan.pk else {"year": current_year()}
    form = YearPlanForm(request.POST or None, instance=plan, initial=initial)
    if plan.pk:
        concurrency.carry_version(form, plan)
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
            try:
                with transaction.atomic():
                    if plan.pk:  # the office may have two tabs, or two people one plan (issue 13)
                        concurrency.lock_seen(plan, concurrency.seen_version(form, plan))
                    plan = form.save()
                    months.instance = plan
                    months.save()
            except concurrency.Stale as stale:
                context = {"form": form, "months": months, "project": project, "plan": plan}
                context["conflict"] = concurrency.conflict(form, stale.current)
                concurrency.rows_conflict(
                    context["conflict"],
                    str(_("Monthly plan")),
                    [_month(m.month, m.amount) for m in stale.current.months.order_by("month")],
                    [
                        _month(d["month"], d["amount"])
                        for d in sorted(_kept(months), key=lambda d: d["month"])
                    ],
                )
                return render(request, "projects/plan_form.html", context, status=409)
            messages.success(request, _("Year plan saved."))
            return redirect("projects:detail", pk=project.pk)
    return render(
        request, "projects/plan_form.html", {"form": form, "months": months, "project": project, "plan": plan}
    )
