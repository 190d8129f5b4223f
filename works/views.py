"""Bidding pages: a project's tender packages (with the award form 登记中标) and their process
supervision; the county register of packages with its export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lib import concurrency
from lib.forms import errors_onto
from lib.today import current_year
from projects.models import Project
from projects.views import get_project_for_user

from . import exports, rules, selectors, services, warnings
from .filters import TenderFilter
from .forms import AwardForm, PackageForm, RecordForm
from .models import SupervisionRecord, TenderPackage

PER_PAGE = 50


def get_package_for_user(request: HttpRequest, pk: int) -> TenderPackage:
    """The package if the user may see it; 404 otherwise."""
    qs = TenderPackage.objects.for_user(request.user).select_related("project", "project__lead_unit")
    return get_object_or_404(qs, pk=pk)


def get_package_for_edit(request: HttpRequest, pk: int) -> TenderPackage:
    """The package if the user may change it: 404 when out of sight, 403 when only readable."""
    package = get_package_for_user(request, pk)
    if not rules.can_edit_project(request.user, package.project):
        raise PermissionDenied(_("You may read this project's bidding but not change it."))
    return package


def _editing_project(request: HttpRequest, pk: int) -> Project:
    item = get_project_for_user(request, pk)
    if not rules.can_edit_project(request.user, item):
        raise PermissionDenied(_("You may read this project's bidding but not change it."))
    return item


def _supervising_project(request: HttpRequest, pk: int) -> Project:
    item = get_project_for_user(request, pk)
    if not rules.can_supervise(request.user):
        raise PermissionDenied(
            _("Only the supervision office and the key-project office record supervision.")
        )
    return item


# -- a project's bidding --------------------------------------------------------------------------------
def _project_page(request, item: Project, *, status=200, package_form=None, record_form=None) -> HttpResponse:
    can_edit = rules.can_edit_project(request.user, item)
    can_supervise = rules.can_supervise(request.user)
    records = SupervisionRecord.objects.order_by("-date", "-pk")
    packages = list(
        TenderPackage.objects.filter(project=item)
        .order_by("kind", "pk")
        .prefetch_related(Prefetch("records", queryset=records))
    )
    for package in packages:
        selectors.decorate(package)
    found = warnings.of_projects(Project.objects.filter(pk=item.pk), current_year()).get(item.pk, [])
    context = {
        "project": item,
        "packages": packages,
        "total": selectors.totals_of(TenderPackage.objects.filter(project=item)),
        "record_count": sum(len(p.records.all()) for p in packages),
        "warnings": found,
        "can_edit": can_edit,
        "can_supervise": can_supervise,
        "package_form": package_form or (PackageForm(auto_id="id_package_%s") if can_edit else None),
        "record_form": record_form
        or (
            RecordForm(packages=TenderPackage.objects.filter(project=item), auto_id="id_record_%s")
            if can_supervise and packages
            else None
        ),
    }
    return render(request, "works/project.html", context, status=status)


@login_required
def project(request: HttpRequest, pk: int) -> HttpResponse:
    """One project's tender packages, their discount rates and process supervision."""
    return _project_page(request, get_project_for_user(request, pk))


@login_required
@require_POST
def package_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = _editing_project(request, pk)
    form = PackageForm(request.POST, instance=TenderPackage(project=item), auto_id="id_package_%s")
    if form.is_valid():
        try:
            services.package_save(package=form.instance, by=request.user)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Tender package saved."))
            return redirect("works:project", pk=item.pk)
    return _project_page(request, item, status=400, package_form=form)


def _package_step(request: HttpRequest, pk: int, form_class, template: str, done: str) -> HttpResponse:
    package = get_package_for_edit(request, pk)
    form = form_class(request.POST or None, instance=package)
    status, conflict = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.package_save(
                    package=form.instance, by=request.user, version=concurrency.seen_version(form, package)
                )
            except concurrency.Stale as stale:
                status, conflict = 409, concurrency.conflict(form, stale.current)
            except ValidationError as exc:
                errors_onto(form, exc)
            else:
                messages.success(request, done)
                return redirect("works:project", pk=package.project_id)
    context = {"form": form, "package": package, "project": package.project, "conflict": conflict}
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def package_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _package_step(request, pk, PackageForm, "works/package_form.html", _("Tender package saved."))


@login_required
@require_http_methods(["GET", "POST"])
def award(request: HttpRequest, pk: int) -> HttpResponse:
    """登记中标: record (or correct) a package's award — date, winning bidder, contract price."""
    return _package_step(request, pk, AwardForm, "works/award_form.html", _("Award recorded."))


@login_required
@require_POST
def record_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = _supervising_project(request, pk)
    form = RecordForm(
        request.POST, packages=TenderPackage.objects.filter(project=item), auto_id="id_record_%s"
    )
    if form.is_valid():
        try:
            services.record_save(record=form.instance, by=request.user)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Supervision record saved."))
            return redirect("works:project", pk=item.pk)
    return _project_page(request, item, status=400, record_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    qs = SupervisionRecord.objects.for_user(request.user).select_related("package", "package__project")
    record = get_object_or_404(qs, pk=pk)
    if not rules.can_supervise(request.user):
        raise PermissionDenied(
            _("Only the supervision office and the key-project office record supervision.")
        )
    form = RecordForm(request.POST or None, instance=record, packages=TenderPackage.objects.none())
    status, conflict = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.record_save(
                    record=form.instance, by=request.user, version=concurrency.seen_version(form, record)
                )
            except concurrency.Stale as stale:
                status, conflict = 409, concurrency.conflict(form, stale.current)
            except ValidationError as exc:
                errors_onto(form, exc)
            else:
                messages.success(request, _("Supervision record saved."))
                return redirect("works:project", pk=record.package.project_id)
    context = {"form": form, "record": record, "project": record.package.project, "conflict": conflict}
    return render(request, "works/record_form.html", context, status=status)


# -- the register ---------------------------------------------------------------------------------------
def _register(request: HttpRequest) -> tuple[TenderFilter, QuerySet]:
    flt = TenderFilter(request.GET, queryset=TenderPackage.objects.for_user(request.user), user=request.user)
    rows = flt.qs.select_related("project", "project__lead_unit").order_by("project__code", "kind", "pk")
    return flt, rows


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """Every tender package in scope, filtered, page by page, with the totals and the overall discount
    rate of all that match, and each project's bidding warnings."""
    flt, rows = _register(request)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    for package in page.object_list:
        selectors.decorate(package)
    ids = {p.project_id for p in page.object_list}
    found = warnings.of_projects(Project.objects.filter(pk__in=ids), flt.chosen_year)
    shown: set[int] = set()
    for package in page.object_list:  # a project's warnings once, on its first package of the page
        package.warnings = [] if package.project_id in shown else found.get(package.project_id, [])
        shown.add(package.project_id)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": flt,
        "page": page,
        "total": selectors.totals_of(rows),
        "year": flt.chosen_year,
        "query": query.urlencode(),
    }
    return render(request, "works/register.html", context)


@login_required
def register_export(request: HttpRequest) -> HttpResponse:
    flt, rows = _register(request)
    packages = [selectors.decorate(p) for p in rows]
    found = warnings.of_projects(
        Project.objects.filter(pk__in={p.project_id for p in packages}), flt.chosen_year
    )
    total = selectors.totals_of(rows)
    return exports.register_response(packages, total, found, year=flt.chosen_year, region=request.user.region)
