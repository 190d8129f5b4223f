"""Quality and safety pages: a project's inspections, hazards and accidents; one hazard with its steps
(rectify, verify, send back); the hazard register with its export; the projects with an open major
hazard; the statistics per unit with their export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lib import concurrency, params
from lib.forms import errors_onto
from lib.today import current_year, today
from projects.models import Project
from projects.views import get_project_for_user

from . import exports, rules, selectors, services
from .filters import HazardFilter
from .forms import AccidentForm, HazardForm, InspectionForm, RectifyForm, VerifyForm
from .models import Accident, Hazard, SafetyInspection

PER_PAGE = 50


def get_hazard_for_user(request: HttpRequest, pk: int) -> Hazard:
    """The hazard if the user may see it; 404 otherwise."""
    qs = Hazard.objects.for_user(request.user).select_related(
        "project",
        "project__lead_unit",
        "inspection",
        "responsible_unit",
        "rectified_by",
        "verified_by",
        "changed_by",
    )
    return get_object_or_404(qs, pk=pk)


def _recording_project(request: HttpRequest, pk: int) -> Project:
    item = get_project_for_user(request, pk)
    if not rules.can_record(request.user):
        raise PermissionDenied(
            _("Only the supervision office and the key-project office record quality and safety.")
        )
    return item


# -- a project's quality and safety ---------------------------------------------------------------------
def _project_page(request, item: Project, *, status=200, **forms) -> HttpResponse:
    on = today()
    can_record = rules.can_record(request.user)
    inspections = list(SafetyInspection.objects.filter(project=item).select_related("recorded_by"))
    hazards = list(
        selectors.register_order(Hazard.objects.filter(project=item), on).select_related(
            "responsible_unit", "inspection"
        )
    )
    for hazard in hazards:
        hazard.overdue = hazard.is_overdue(on)
    major = [h for h in hazards if h.level == Hazard.Level.MAJOR and h.state != Hazard.State.VERIFIED]
    context = {
        "project": item,
        "inspections": inspections,
        "hazards": hazards,
        "accidents": Accident.objects.filter(project=item),
        "warning": selectors.reason(min(major, key=lambda h: (h.deadline, h.pk))) if major else "",
        "can_record": can_record,
        "inspection_form": forms.get("inspection") or (InspectionForm() if can_record else None),
        "hazard_form": forms.get("hazard")
        or (HazardForm(project=item) if can_record and inspections else None),
        "accident_form": forms.get("accident")
        or (AccidentForm(auto_id="id_accident_%s") if can_record else None),
    }
    return render(request, "safety/project.html", context, status=status)


@login_required
def project(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_page(request, get_project_for_user(request, pk))


@login_required
@require_POST
def inspection_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = _recording_project(request, pk)
    form = InspectionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.inspection_record(project=item, by=request.user, **data)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Inspection recorded. Now record the hazards it found, if any."))
            return redirect("safety:project", pk=item.pk)
    return _project_page(request, item, status=400, inspection=form)


@login_required
@require_POST
def hazard_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = _recording_project(request, pk)
    form = HazardForm(request.POST, request.FILES, project=item)
    if form.is_valid():
        data = form.cleaned_data
        try:
            hazard = services.hazard_record(by=request.user, **data)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Hazard recorded."))
            return redirect("safety:hazard", pk=hazard.pk)
    return _project_page(request, item, status=400, hazard=form)


@login_required
@require_POST
def accident_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = _recording_project(request, pk)
    form = AccidentForm(request.POST, instance=Accident(project=item), auto_id="id_accident_%s")
    if form.is_valid():
        try:
            services.accident_save(accident=form.instance, by=request.user)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Accident recorded."))
            return redirect("safety:project", pk=item.pk)
    return _project_page(request, item, status=400, accident=form)


@login_required
@require_http_methods(["GET", "POST"])
def accident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    accident = get_object_or_404(Accident.objects.for_user(request.user).select_related("project"), pk=pk)
    if not rules.can_record(request.user):
        raise PermissionDenied(_("Only the supervision office and the key-project office record accidents."))
    form = AccidentForm(request.POST or None, instance=accident)
    status, conflict = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.accident_save(
                    accident=form.instance, by=request.user, version=concurrency.seen_version(form, accident)
                )
            except concurrency.Stale as stale:
                status, conflict = 409, concurrency.conflict(form, stale.current)
            except ValidationError as exc:
                errors_onto(form, exc)
            else:
                messages.success(request, _("Accident saved."))
                return redirect("safety:project", pk=accident.project_id)
    context = {"form": form, "accident": accident, "conflict": conflict}
    return render(request, "safety/accident_form.html", context, status=status)


# -- one hazard and its steps ---------------------------------------------------------------------------
def _hazard_page(request, hazard: Hazard, *, status=200, conflict=None, **forms) -> HttpResponse:
    can = rules.allowed(request.user, hazard)
    context = {
        "hazard": hazard,
        "project": hazard.project,
        "overdue": hazard.is_overdue(today()),
        "days_overdue": hazard.days_overdue(today()),
        "can": can,
        "conflict": conflict,
        "rectify_form": forms.get("rectify") or (RectifyForm(hazard=hazard) if can["rectify"] else None),
        "verify_form": forms.get("verify") or (VerifyForm(hazard=hazard) if can["verify"] else None),
        "history": hazard.history.select_related("history_user").order_by("-history_id")[:20],
    }
    return render(request, "safety/hazard.html", context, status=status)


@login_required
def hazard(request: HttpRequest, pk: int) -> HttpResponse:
    return _hazard_page(request, get_hazard_for_user(request, pk))


def _step(request: HttpRequest, pk: int, name: str, form_class, action) -> HttpResponse:
    """Run one step of a hazard: refused with the reason and nothing changed when the user may not take
    it (403), the hazard has moved on (409, its state named) or someone saved it meanwhile (409, the
    conflict shown); a form error is 400."""
    item = get_hazard_for_user(request, pk)
    may = rules.can_rectify(request.user, item) if name == "rectify" else rules.can_verify(request.user)
    if not may:
        raise PermissionDenied(_("You may not take this step on this hazard."))
    form = form_class(request.POST, request.FILES, hazard=item)
    status, conflict = 400, None
    if form.is_valid():
        try:
            action(item, form.cleaned_data, concurrency.seen_version(form, item))
        except concurrency.Stale as stale:
            status, conflict = 409, concurrency.conflict(form, stale.current)
            item = get_hazard_for_user(request, pk)
        except concurrency.WrongState as exc:
            messages.warning(request, " ".join(exc.messages))
            return _hazard_page(request, get_hazard_for_user(request, pk), status=409)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("safety:hazard", pk=item.pk)
    return _hazard_page(request, item, status=status, conflict=conflict, **{name: form})


@login_required
@require_POST
def hazard_rectify(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "rectify",
        RectifyForm,
        lambda h, data, version: services.hazard_rectify(
            hazard=h,
            by=request.user,
            measures=data["measures"],
            rectified_on=data["rectified_on"],
            photo=data["photo"],
            version=version,
        ),
    )


@login_required
@require_POST
def hazard_verify(request: HttpRequest, pk: int) -> HttpResponse:
    def act(h: Hazard, data: dict, version: int | None) -> None:
        if "send_back" in request.POST:
            services.hazard_send_back(hazard=h, by=request.user, reason=data["reason"], version=version)
        else:
            services.hazard_verify(hazard=h, by=request.user, version=version)

    return _step(request, pk, "verify", VerifyForm, act)


@login_required
def hazard_photo(request: HttpRequest, pk: int, which: str) -> FileResponse:
    """A hazard's photo (as found, or after rectification), through the same scope check as the hazard."""
    item = get_hazard_for_user(request, pk)
    image = {"found": item.photo, "rectified": item.rectification_photo}.get(which)
    if not image:
        raise Http404
    content_type = "image/png" if image.name.lower().endswith(".png") else "image/jpeg"
    return FileResponse(image.open("rb"), content_type=content_type)


# -- registers ------------------------------------------------------------------------------------------
def _filtered(request: HttpRequest) -> HazardFilter:
    return HazardFilter(request.GET, queryset=Hazard.objects.for_user(request.user), user=request.user)


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """Every hazard in scope, open ones first (overdue at the top), filtered, page by page."""
    on = today()
    flt = _filtered(request)
    rows = selectors.listed(selectors.register_order(flt.qs, on))
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    for item in page.object_list:
        item.overdue = item.is_overdue(on)
        item.days = item.days_overdue(on)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "safety/register.html", {"filter": flt, "page": page, "query": query.urlencode()})


@login_required
def register_export(request: HttpRequest) -> HttpResponse:
    on = today()
    rows = selectors.listed(selectors.register_order(_filtered(request).qs, on))
    return exports.hazards_response(rows, region=request.user.region, on=on)


@login_required
def major(request: HttpRequest) -> HttpResponse:
    """The projects in scope with a 重大隐患 not yet verified — the list behind the dashboard's warning."""
    on = today()
    hazards = list(
        selectors.listed(selectors.major_open(Project.objects.for_user(request.user))).order_by(
            "project__code", "deadline", "pk"
        )
    )
    for item in hazards:
        item.overdue = item.is_overdue(on)
        item.days = item.days_overdue(on)
    projects = len({h.project_id for h in hazards})
    return render(request, "safety/major.html", {"hazards": hazards, "project_count": projects})


def _stats(request: HttpRequest):
    year = params.whole_number(request.GET.get("year"), 2000, 2100) or current_year()
    hazards, accidents = selectors.in_year(
        Hazard.objects.for_user(request.user), Accident.objects.for_user(request.user), year
    )
    rows, total = selectors.by_unit(hazards, accidents, on=today())
    return year, rows, total


@login_required
def units(request: HttpRequest) -> HttpResponse:
    """Per responsible unit: hazards found, rectified, verified, open, overdue, the rates, accidents."""
    year, rows, total = _stats(request)
    return render(request, "safety/units.html", {"year": year, "rows": rows, "total": total})


@login_required
def units_export(request: HttpRequest) -> HttpResponse:
    year, rows, total = _stats(request)
    return exports.units_response(rows, total, year=year, region=request.user.region)
