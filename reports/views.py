"""Monthly report pages: the month's table, one report with its workflow, photos."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import router, transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lib import concurrency, statements
from lib.forms import errors_onto
from projects.models import Project, YearPlan
from projects.views import get_project_for_user

from . import exports, months, services
from .config import rules_for
from .figures import month_plans, scope_key
from .forms import PhotoForm, ReasonForm, ReportForm
from .lights import COLOURS, annotate_reasons
from .models import MonthlyReport, ReportPhoto
from .paging import PagedRows
from .selectors import period_from

Status = MonthlyReport.Status

MONTHLY_PAGE_SIZE = 200


# A project's and a report's columns, as the models list them: a row is read as a tuple and made a model.
PROJECT_COLUMNS = tuple(field.attname for field in Project._meta.concrete_fields)
REPORT_COLUMNS = tuple(field.attname for field in MonthlyReport._meta.concrete_fields)


def _project_for_user(request: HttpRequest, pk: int) -> Project:
    """The project if the user may see it, 404 otherwise: projects.views.get_project_for_user (the
    same scoped queryset, Project.objects.for_user), its statement compiled once per process under
    the user's scope (reports.figures.scope_key) with the project's id bound in (lib.statements).
    Every report page and every submission reads it; compiling the scope's subqueries each time cost
    more Python than anything else the submission does (tests/test_report_page_project.py)."""
    user = request.user
    found = statements.by_ids(
        Project,
        ("report page's project", scope_key(user)),
        [pk],
        lambda ids: Project.objects.for_user(user).filter(pk__in=ids).values_list(*PROJECT_COLUMNS),
    )
    if not found:
        raise Http404
    return Project.from_db(router.db_for_read(Project), PROJECT_COLUMNS, found[0])


def _month_report(project: Project, year: int, month: int) -> MonthlyReport | None:
    """The project's report of the month, if there is one (one at most: unique project, year and
    month), its statement compiled once per process and month (lib.statements), with `project` as
    its project: the permission checks read it without a query."""
    found = statements.by_ids(
        MonthlyReport,
        ("report page's report", year, month),
        [project.pk],
        lambda ids: (
            MonthlyReport.objects.filter(project_id__in=ids, year=year, month=month)
            .order_by()
            .values_list(*REPORT_COLUMNS)
        ),
    )
    if not found:
        return None
    report = MonthlyReport.from_db(router.db_for_read(MonthlyReport), REPORT_COLUMNS, found[0])
    report.project = project
    return report


def period(request: HttpRequest) -> tuple[int, int]:
    """(year, month) from the query string; the latest reported month by default."""
    return period_from(request.user, request.GET.get("year"), request.GET.get("month"))


def _valid_month(year: int, month: int) -> None:
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404


def monthly_rows(request: HttpRequest, year: int, month: int):
    rows = month_plans(request.user, year=year, month=month).with_projects()
    light = request.GET.get("light")
    if light in COLOURS:
        rows = rows.with_light(light)
    status = request.GET.get("status")
    if status == "missing":
        # A project with no report at all has a NULL status, which NOT IN would drop.
        rows = rows.filter(Q(report_status__isnull=True) | ~Q(report_status__in=MonthlyReport.COUNTED))
    elif status in MonthlyReport.Status.values:
        rows = rows.filter(report_status=status)
    return rows.order_by("project__code")


@login_required
def monthly(request: HttpRequest) -> HttpResponse:
    """The month's table: every project's month amount, year to date, rate, light and report status."""
    year, month = period(request)
    # A province holds tens of thousands of projects: the table is paged; the export has them all.
    page = Paginator(PagedRows(monthly_rows(request, year, month)), MONTHLY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = annotate_reasons(page.object_list, month=month)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/monthly.html",
        {
            "year": year,
            "month": month,
            "months": range(1, 13),
            "rows": rows,
            "page": page,
            "light": request.GET.get("light", ""),
            "status": request.GET.get("status", ""),
            "statuses": MonthlyReport.Status.choices,
            "query": query.urlencode(),
            "can_file": request.user.is_unit or request.user.is_office,
        },
    )


@login_required
def monthly_export(request: HttpRequest) -> HttpResponse:
    year, month = period(request)
    rows = annotate_reasons(monthly_rows(request, year, month), month=month)
    return exports.monthly_response(rows, year=year, month=month, region=request.user.region)


def _report_context(
    request: HttpRequest, project: Project, year: int, month: int, report, form, known=None
) -> dict:
    plan = YearPlan.objects.filter(project=project, year=year).first()
    row = None
    if plan is not None:
        found = month_plans(request.user, year=year, month=month).with_projects().filter(pk=plan.pk)
        row = (annotate_reasons(found, month=month) or [None])[0]
    setting = rules_for(request.user, year).setting_for(project.region)
    user = request.user
    editable = (
        report is None
        and services.can_file(user, project)
        or report is not None
        and services.can_edit(user, report)
    )
    return {
        "project": project,
        "year": year,
        "month": month,
        "report": report,
        "row": row,
        "form": form,
        "editable": editable,
        "deadline": setting.deadline(month),
        "events": report.events.select_related("by") if report else [],
        "photos": report.photos.shown() if report else [],
        "photo_form": PhotoForm(),
        "reason_form": ReasonForm(),
        "known": known,
        # A report filed before the rule (or by a bulk load) may say not started for a project that
        # had: the office sees it before approving.
        "contradicts_start": report is not None
        and known is not None
        and known.started
        and not report.started
        and not services.is_correction(report),
        # "Save draft" only where the report is (or becomes) a draft or stays returned; the office
        # correcting a submitted report saves changes to it, which stays submitted.
        "saves_draft": report is None or report.status in (Status.DRAFT, Status.RETURNED),
        "can_submit": report is not None
        and report.status in ("draft", "returned")
        and services.can_file(user, project),
        "can_review": report is not None and user.is_office and report.status == "submitted",
        "can_reopen": report is not None and user.is_office and report.status == "approved",
    }


@login_required
@require_http_methods(["GET", "POST"])
def report_page(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    """One project's report for one month: read it, file or correct it, and walk it through review.

    A new report starts from what is known (services.report_known). The photo upload is a button
    of this form: it saves what was typed (a draft) with the photo, or shows it all again.
    """
    _valid_month(year, month)
    project = _project_for_user(request, pk)
    report = _month_report(project, year, month)
    # What is known before the month is what a new report's form starts from and what the page says
    # beside it; a sent form carries its own values, so a POST reads it only to show the page again.
    known = None
    if request.method != "POST":
        known = services.report_known(project=project, year=year, month=month, user=request.user)
    form = ReportForm(request.POST or None, instance=report, known=known)
    concurrency.carry_version(form, report)
    photo_form = None
    conflict = None
    if request.method == "POST":
        editable = (
            services.can_edit(request.user, report) if report else services.can_file(request.user, project)
        )
        if not editable:
            if _is_repeat(request, form, report, project):
                return _already_saved(request, report)
            raise PermissionDenied(_("You may read this report but not change it."))
        # A photo chosen and then "save" or "submit" pressed is uploaded too: nothing typed is lost.
        uploading = "upload" in request.POST or bool(request.FILES.get("image"))
        photo_form = PhotoForm(request.POST, request.FILES) if uploading else None
        status = 400
        if form.is_valid() and (photo_form is None or photo_form.is_valid()):
            try:
                saved = _save(request, form, project=project, year=year, month=month, photo_form=photo_form)
            except concurrency.Stale as stale:
                # Someone saved the report since this form was drawn: show both, keep what was typed.
                conflict, status = concurrency.conflict(form, stale.current), 409
                saved = None
            except concurrency.WrongState as exc:
                current = MonthlyReport.objects.get(project=project, year=year, month=month)
                if services.holds(current, _data(form)):  # a double submit: the first one saved it
                    return _already_saved(request, current, str(exc.message))
                form.add_error(None, exc.messages)
                saved, status = None, 409
            if saved is not None:
                return redirect("reports:report", pk=project.pk, year=year, month=month)
            report = MonthlyReport.objects.filter(project=project, year=year, month=month).first()
        elif photo_form is not None and photo_form.is_valid():
            photo_form.add_error("image", _("The photo was not uploaded: correct the report above first."))
    else:
        status = 200
    if known is None:
        known = services.report_known(project=project, year=year, month=month, user=request.user)
        form.start_from(known)
    context = _report_context(request, project, year, month, report, form, known)
    context["conflict"] = conflict
    if photo_form is not None:
        context["photo_form"] = photo_form
    return render(request, "reports/report.html", context, status=status)


def _data(form: ReportForm) -> dict:
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


def _is_repeat(
    request: HttpRequest, form: ReportForm, report: MonthlyReport | None, project: Project
) -> bool:
    """A form sent again to a report it already saved (a double click on "submit", a retry) by
    someone who files the project's reports: answered with the saved report, not refused."""
    if report is None or not services.can_file(request.user, project) or not form.is_valid():
        return False
    return services.holds(MonthlyReport.objects.get(pk=report.pk), _data(form))


def _already_saved(request: HttpRequest, report: MonthlyReport, said: str = "") -> HttpResponse:
    said = said or services.already(report) or _("This report was already saved as you sent it; here it is.")
    messages.info(request, said)
    return redirect("reports:report", pk=report.project_id, year=report.year, month=report.month)


def _save(
    request: HttpRequest, form: ReportForm, *, project: Project, year: int, month: int, photo_form
) -> MonthlyReport | None:
    """Save the report (and the photo, and submit, as asked) in one transaction; None with the
    errors on the forms when a service refuses."""
    data = _data(form)
    submit = "submit" in request.POST
    try:
        # One transaction: the report is saved and submitted, or neither (a refused submit saves nothing);
        # its month summary is computed once, from the report as it ends up.
        with transaction.atomic(), months.refreshed_once():
            report = services.report_save(
                project=project,
                year=year,
                month=month,
                data=data,
                by=request.user,
                correction=form.cleaned_data["correction"],
                version=concurrency.seen_version(form, form.instance),
            )
            if photo_form is not None:
                try:
                    services.photo_add(
                        report=report,
                        upload=photo_form.cleaned_data["image"],
                        caption=photo_form.cleaned_data["caption"],
                        by=request.user,
                    )
                except ValidationError as exc:
                    photo_form.add_error("image", exc.messages)
                    raise
            if submit:
                services.report_submit(report=report, by=request.user, locked=True)
    except concurrency.WrongState:
        raise
    except ValidationError as exc:
        if photo_form is None or not photo_form.errors:
            errors_onto(form, exc)
            if photo_form is not None:
                photo_form.add_error(
                    "image", _("The photo was not uploaded: correct the report above first.")
                )
        return None
    if photo_form is not None:
        messages.success(request, _("Photo added; what you typed is saved with it."))
    if submit:
        messages.success(request, _("Report submitted."))
    elif report.status == Status.SUBMITTED:
        messages.success(request, _("Changes saved; the report stays submitted."))
    elif photo_form is None:
        messages.success(request, _("Report saved as a draft."))
    return report


def _get_report(request: HttpRequest, pk: int, year: int, month: int) -> MonthlyReport:
    project = get_project_for_user(request, pk)
    return get_object_or_404(
        MonthlyReport.objects.select_related("project"), project=project, year=year, month=month
    )


@login_required
@require_POST
def report_action(request: HttpRequest, pk: int, year: int, month: int, action: str) -> HttpResponse:
    """submit / return / approve / reopen."""
    report = _get_report(request, pk, year, month)
    reason = request.POST.get("reason", "")
    try:
        if action == "submit":
            services.report_submit(report=report, by=request.user)
            messages.success(request, _("Report submitted."))
        elif action == "return":
            services.report_return(report=report, by=request.user, reason=reason)
            messages.success(request, _("Report returned to the unit."))
        elif action == "approve":
            services.report_approve(report=report, by=request.user)
            messages.success(request, _("Report approved."))
        elif action == "reopen":
            services.report_reopen(report=report, by=request.user, reason=reason)
            messages.success(request, _("Report reopened for correction."))
        else:
            raise Http404
    except concurrency.WrongState as exc:
        # Two clicks, or two people: the report has moved on; the page shows where it is now.
        messages.warning(request, " ".join(exc.messages))
        return redirect("reports:report", pk=pk, year=year, month=month)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        form = ReportForm(instance=report)
        context = _report_context(request, report.project, year, month, report, form)
        context["reason_form"] = ReasonForm(request.POST)
        context["reason_form"].is_valid()
        return render(request, "reports/report.html", context, status=400)
    return redirect("reports:report", pk=pk, year=year, month=month)


@login_required
@require_POST
def photo_upload(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    report = _get_report(request, pk, year, month)
    if not services.can_edit(request.user, report):
        raise PermissionDenied(_("This report is locked: it has been submitted or approved."))
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.photo_add(
                report=report,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error("image", exc.messages)
        else:
            messages.success(request, _("Photo added."))
            return redirect("reports:report", pk=pk, year=year, month=month)
    context = _report_context(request, report.project, year, month, report, ReportForm(instance=report))
    context["photo_form"] = form
    return render(request, "reports/report.html", context, status=400)


@login_required
@require_POST
def photo_delete(request: HttpRequest, photo_id: int) -> HttpResponse:
    photo = get_object_or_404(
        ReportPhoto.objects.shown().select_related("report__project"),
        pk=photo_id,
        report__project__in=Project.objects.for_user(request.user),
    )
    services.photo_delete(photo=photo, by=request.user)
    report = photo.report
    messages.success(request, _("Photo removed."))
    return redirect("reports:report", pk=report.project_id, year=report.year, month=report.month)


@login_required
def photo_file(request: HttpRequest, photo_id: int) -> HttpResponse:
    """A report photo, served through the same scope check as the report."""
    photo = get_object_or_404(
        ReportPhoto.objects.shown().select_related("report"),
        pk=photo_id,
        report__project__in=Project.objects.for_user(request.user),
    )
    content_type = "image/png" if photo.image.name.endswith(".png") else "image/jpeg"
    return FileResponse(photo.image.open("rb"), content_type=content_type)
