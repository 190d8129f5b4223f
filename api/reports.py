"""Monthly reports: read them by month or by project; a unit's own system saves and submits them.

Writes go through reports/services.py (report_save, report_submit) after the web form's own
validation (reports.forms.ReportForm bound to the JSON), so the API accepts exactly what the form
accepts and walks exactly the same workflow.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError

from lib import concurrency
from lib.money import q2
from projects.models import Project
from reports import services
from reports.forms import ReportForm
from reports.models import MonthlyReport

from .params import MAX_ID, Id, Paging
from .schemas import ReportIn, ReportList, ReportOut, ReportStatus, answers

router = Router(tags=["reports"])


class ReportQuery(Schema):
    project: Id | None = Field(None, description="one project's reports (404 if not in scope)")
    year: int | None = Field(None, ge=2000, le=2100)
    month: int | None = Field(None, ge=1, le=12)
    status: ReportStatus | None = None


def stamp(moment) -> str | None:
    return moment.isoformat() if moment else None


def report_json(report: MonthlyReport) -> dict:
    project = report.project
    return {
        "id": report.pk,
        "project": {"id": project.pk, "code": project.code, "name": project.name},
        "year": report.year,
        "month": report.month,
        "amount": f"{q2(report.amount):.2f}",
        "progress": report.progress,
        "completion_pct": float(report.completion_pct),
        "started": report.started,
        "start_date": report.start_date.isoformat() if report.start_date else None,
        "workers": report.workers,
        "problems": report.problems,
        "status": report.status,
        "version": report.version,
        "first_submitted_at": stamp(report.first_submitted_at),
        "submitted_at": stamp(report.submitted_at),
        "approved_at": stamp(report.approved_at),
        "return_reason": report.return_reason,
    }


def reports_for(user) -> object:
    """The reports of the projects the user may see."""
    return MonthlyReport.objects.filter(
        project__in=Project.objects.for_user(user).values("pk")
    ).select_related("project")


@router.get("reports", response=answers(ReportList, 404), url_name="reports")
def report_list(request: HttpRequest, query: Query[ReportQuery], paging: Query[Paging]):
    """Reports in scope, by month (?year=&month=) or by project (?project=), newest month first."""
    rows = reports_for(request.auth)
    if query.project is not None:
        project = get_object_or_404(Project.objects.for_user(request.auth), pk=query.project)
        rows = rows.filter(project=project)
    for name in ("year", "month", "status"):
        value = getattr(query, name)
        if value is not None:
            rows = rows.filter(**{name: value})
    count, page = paging.cut(rows.order_by("-year", "-month", "project__code", "pk"))
    return {"count": count, "results": [report_json(r) for r in page]}


@router.get("reports/{id}", response=answers(ReportOut, 404), url_name="report")
def report_detail(request: HttpRequest, id: int = Path(..., ge=1, le=MAX_ID)):
    return report_json(get_object_or_404(reports_for(request.auth), pk=id))


def form_data(payload: ReportIn, report: MonthlyReport | None) -> dict:
    """The JSON as the web form's POST data: the form's current values (the report's, or the
    defaults for a new one), with the fields the JSON gives in their place, numbers as the text a
    person would type."""
    current = ReportForm(instance=report)
    data = {}
    for name in ReportForm.Meta.fields:
        value = getattr(payload, name) if name in payload.model_fields_set else None
        if value is None:
            value = current[name].value()
        if value is None:
            continue
        if isinstance(value, bool):
            data[name] = value
        elif isinstance(value, str):
            data[name] = value
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        else:
            data[name] = repr(value) if isinstance(value, float) else str(value)
    return data


def first_error(form: ReportForm) -> str:
    name, errors = next(iter(form.errors.items()))
    if name == "__all__":
        return " ".join(errors)
    return _("%(name)s: %(error)s") % {"name": name, "error": " ".join(errors)}


@router.post("reports", response=answers(ReportOut, 403, 404, 409, created=ReportOut), url_name="report_save")
def report_save(request: HttpRequest, payload: ReportIn):
    """Save a project's report for a month as a draft (created, or changed while a draft or returned),
    and with `"submit": true` submit it too. The same checks as the web form: 400 with its message,
    403 when the caller may read but not file it, 409 when the workflow does not allow the step."""
    user = request.auth
    project = get_object_or_404(Project.objects.for_user(user), pk=payload.project)
    report = MonthlyReport.objects.filter(project=project, year=payload.year, month=payload.month).first()
    editable = services.can_edit(user, report) if report else services.can_file(user, project)
    if not editable:
        if report is not None and services.can_file(user, project):
            raise HttpError(409, _("This report is locked: it has been submitted or approved."))
        raise PermissionDenied(_("You may read this report but not change it."))
    form = ReportForm(form_data(payload, report), instance=report)
    if not form.is_valid():
        raise HttpError(400, first_error(form))
    data = {name: form.cleaned_data[name] for name in ReportForm.Meta.fields}
    # The fields the JSON leaves out were read above: a report changed since then is a 409, never
    # overwritten with what was read (nor with what the caller saw, when it sends `version`).
    version = payload.version if payload.version is not None else (report.version if report else 0)
    try:
        with transaction.atomic():  # a refused submit leaves nothing saved
            saved = services.report_save(
                project=project, year=payload.year, month=payload.month, data=data, by=user, version=version
            )
            if payload.submit:
                saved = submit(saved, user)
    except concurrency.Stale as stale:
        raise HttpError(409, changed_meanwhile(stale.current)) from None
    return Status(200 if report else 201, report_json(saved))


def changed_meanwhile(current: MonthlyReport) -> str:
    who, when = current.last_change()
    return _("The report was changed by %(who)s at %(when)s (now version %(version)s); read it again.") % {
        "who": who or _("someone else"),
        "when": f"{timezone.localtime(when):%Y-%m-%d %H:%M:%S}" if when else "—",
        "version": current.version,
    }


def submit(report: MonthlyReport, user) -> MonthlyReport:
    try:
        return services.report_submit(report=report, by=user)
    except ValidationError as exc:
        raise HttpError(409, " ".join(exc.messages))


@router.post("reports/{id}/submit", response=answers(ReportOut, 403, 404, 409), url_name="report_submit")
def report_submit(request: HttpRequest, id: int = Path(..., ge=1, le=MAX_ID)):
    """Submit a draft or a returned report (409 for one already submitted or approved)."""
    report = get_object_or_404(reports_for(request.auth), pk=id)
    return report_json(submit(report, request.auth))
