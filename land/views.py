"""Land pages: a project's (or a reserve candidate's) land per township, month by month; the register
by township and its export."""

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
from django.views.decorators.http import require_http_methods

from lib import concurrency, params
from lib.forms import errors_onto
from lib.today import current_year, today
from pool.models import Candidate
from projects.models import Project
from projects.views import get_project_for_edit, get_project_for_user
from regions.models import Township

from . import exports, selectors, services
from .forms import MONTH_HELP, MonthForm, PlanForm
from .models import LandMonth, LandPlan

PLANS_PER_PAGE = 50


def get_plan_for_edit(request: HttpRequest, pk: int) -> LandPlan:
    """The plan (a project's or a reserve candidate's) if the user may change it: 404 when out of
    sight, 403 when only readable."""
    user = request.user
    visible = LandPlan.objects.for_user(user) | LandPlan.objects.of_candidates_for(user)
    plan = get_object_or_404(
        visible.select_related("project__region", "candidate__region", "township"), pk=pk
    )
    editable = LandPlan.objects.editable_by(user) | LandPlan.objects.of_candidates_editable_by(user)
    if not editable.filter(pk=pk).exists():
        raise PermissionDenied(_("You may read this project's land but not change it."))
    return plan


def _year(request: HttpRequest) -> int:
    return params.whole_number(request.GET.get("year"), 2000, 2100) or current_year()


def _page_url(plan: LandPlan) -> str:
    """The land page of the plan's holder."""
    if plan.project_id:
        return reverse("land:project", args=[plan.project_id])
    return reverse("land:candidate", args=[plan.candidate_id])


def _month_key(year: int, month: int) -> str:
    return f"{year}-{month}"


def _versioned(form: MonthForm, months) -> MonthForm:
    """A month form carrying the version of each month of the plan it may correct: two people
    correcting one month never overwrite each other unknowingly (issue 13)."""
    concurrency.carry_versions(form, {_month_key(m.year, m.month): m.version for m in months})
    return form


def _month_line(figures: dict) -> str:
    """One month's figures as the conflict box lists them."""
    return " · ".join(
        f"{LandMonth._meta.get_field(name).verbose_name} {figures.get(name) or 0}"
        for name in services.FIGURES
    )


def _land_page(request: HttpRequest, owner: dict, can_edit: bool, extra: dict) -> HttpResponse:
    plans = list(selectors.with_totals(LandPlan.objects.filter(**owner)).select_related("township"))
    months = selectors.months_of(plan.pk for plan in plans)
    for plan in plans:
        plan.entries = months.get(plan.pk, [])
        plan.month_form = (
            _versioned(MonthForm(auto_id=f"id_m{plan.pk}_%s"), plan.entries) if can_edit else None
        )
    context = {"plans": plans, "can_edit": can_edit, "month_help": MONTH_HELP, **owner, **extra}
    return render(request, "land/project.html", context)


@login_required
def project(request: HttpRequest, pk: int) -> HttpResponse:
    """One project's land, per township, with its months and to-date totals."""
    item = get_project_for_user(request, pk)
    can_edit = Project.objects.editable_by(request.user).filter(pk=item.pk).exists()
    warnings = list(selectors.land_warnings(Project.objects.filter(pk=item.pk), current_year()))
    extra = {
        "warnings": warnings,
        "can_raise": request.user.takes_part,
        "warning_kind": selectors.WARNING_KIND,
        "new_url": reverse("land:plan_create", args=[item.pk]),
    }
    return _land_page(request, {"project": item}, can_edit, extra)


def _get_candidate(request: HttpRequest, pk: int) -> Candidate:
    return get_object_or_404(Candidate.objects.for_user(request.user).select_related("region"), pk=pk)


@login_required
def candidate(request: HttpRequest, pk: int) -> HttpResponse:
    """A reserve candidate's land, kept as a project's is (it moves onto the project on promotion);
    no warning beside a light, a candidate has none."""
    item = _get_candidate(request, pk)
    can_edit = Candidate.objects.preparation_editable_by(request.user).filter(pk=item.pk).exists()
    extra = {"new_url": reverse("land:candidate_plan_create", args=[item.pk])}
    return _land_page(request, {"candidate": item}, can_edit, extra)


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_project_for_edit(request, pk)
    return _plan_form(request, LandPlan(project=item), project=item)


@login_required
@require_http_methods(["GET", "POST"])
def candidate_plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_candidate(request, pk)
    if not Candidate.objects.preparation_editable_by(request.user).filter(pk=item.pk).exists():
        raise PermissionDenied(_("You may read this project's land but not change it."))
    return _plan_form(request, LandPlan(candidate=item), candidate=item)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_edit(request, pk)
    return _plan_form(request, plan, project=plan.project, candidate=plan.candidate)


def _plan_form(request: HttpRequest, plan: LandPlan, *, project=None, candidate=None) -> HttpResponse:
    form = PlanForm(request.POST or None, instance=plan, project=project, candidate=candidate)
    editing = plan.pk is not None
    if editing:  # the township and the office may edit one plan at once (issue 13)
        concurrency.carry_version(form, plan)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            if editing:
                conflict = concurrency.save_checked(
                    form, plan, lambda: services.plan_save(plan=form.save(commit=False))
                )
            else:
                services.plan_save(plan=form.save(commit=False))
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            if conflict is None:
                messages.success(request, _("Land plan saved."))
                return redirect(_page_url(plan))
    context = {
        "form": form,
        "project": project,
        "candidate": candidate,
        "plan": plan,
        "back_url": _page_url(plan),
        "conflict": conflict,
    }
    return render(request, "land/plan_form.html", context, status=409 if conflict else 200)


@login_required
@require_http_methods(["GET", "POST"])
def month_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record (or correct) one month of a plan."""
    plan = get_plan_for_edit(request, pk)
    form = _versioned(MonthForm(request.POST or None), LandMonth.objects.filter(plan=plan))
    context = {"form": form, "plan": plan, "month_help": MONTH_HELP, "back_url": _page_url(plan)}
    if request.method == "POST" and form.is_valid():
        year, month = form.cleaned_data["year"], form.cleaned_data["month"]
        try:
            with transaction.atomic():
                LandPlan.objects.select_for_update().get(pk=plan.pk)  # one writer per plan
                saved = LandMonth.objects.filter(plan=plan, year=year, month=month).first()
                concurrency.check_version_of(form, _month_key(year, month), saved)
                services.month_record(plan=plan, year=year, month=month, figures=form.figures())
        except concurrency.Stale as stale:
            key = _month_key(year, month)
            context["conflict"] = concurrency.versions_conflict(form, key, stale.current)
            theirs = {name: getattr(stale.current, name) for name in services.FIGURES}
            concurrency.rows_conflict(
                context["conflict"],
                f"{year}-{month:02d}",
                [_month_line(theirs)],
                [_month_line(form.figures())],
            )
            return render(request, "land/month_form.html", context, status=409)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Month recorded."))
            return redirect(_page_url(plan))
    return render(request, "land/month_form.html", context)


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """征地拆迁 by township: needed and done to date, with totals; the plans below, by township."""
    year = _year(request)
    plans = selectors.register_plans(request.user, year=year)
    rows, total = selectors.by_township(plans, year=year, on=today())
    township = None
    raw = request.GET.get("township", "")
    if params.is_id(raw):
        township = Township.objects.filter(
            region__path__startswith=request.user.region.path, pk=int(raw)
        ).first()
    listed = plans.filter(township=township) if township else plans
    listed = selectors.with_totals(listed, year=year).select_related("project", "township")
    page = Paginator(
        listed.order_by("township__sort", "township__name", "project__code", "pk"), PLANS_PER_PAGE
    ).get_page(request.GET.get("page"))
    late = set(
        selectors.behind(
            LandPlan.objects.filter(pk__in=[p.pk for p in page.object_list]), on=today()
        ).values_list("pk", flat=True)
    )
    for plan in page.object_list:
        plan.is_behind = plan.pk in late
    return render(
        request,
        "land/register.html",
        {
            "year": year,
            "years": range(current_year() - 3, current_year() + 2),
            "rows": rows,
            "total": total,
            "township": township,
            "page": page,
        },
    )


@login_required
def register_export(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    plans = selectors.register_plans(request.user, year=year)
    rows, total = selectors.by_township(plans, year=year, on=today())
    listed = (
        selectors.with_totals(plans, year=year)
        .select_related("project", "township")
        .order_by("township__sort", "township__name", "project__code", "pk")
    )
    return exports.register_response(rows, total, listed, region=request.user.region, year=year, on=today())
