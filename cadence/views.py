"""Cadence pages: the weekly summary, the monthly study pack and the quarterly dispatch for a chosen period;
a draft .docx (live, unnumbered) and the office's issue action (numbered, kept as issued); the list of
documents and the office's numbering settings; issuing a meeting's minutes."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote, urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from blockers.models import Blocker
from lib import params
from lib.forms import style
from lib.months import previous_month
from lib.today import today
from meetings.documents import minutes_docx
from meetings.models import Meeting
from meetings.selectors import decisions_seen_by, projects_seen_by, sees_whole_meeting
from supervision.models import SupervisionTask

from .models import DocumentSettings, GeneratedDocument
from .periods import Period, previous_quarter
from .services import (
    adjustments,
    collect,
    document_generate,
    document_issue,
    draft_docx,
    issued_for,
    minutes_issue,
    minutes_issued,
    period_for,
    period_of,
    title_for,
)

Kind = GeneratedDocument.Kind
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEMPLATES = {
    Kind.WEEKLY: "cadence/weekly.html",
    Kind.MONTHLY: "cadence/monthly.html",
    Kind.QUARTERLY: "cadence/quarterly.html",
}


def can_generate(user) -> bool:
    return user.is_overseer


def can_issue(user) -> bool:
    """Issuing gives a document its number: the key-project office's act."""
    return user.is_office


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        number = int(value or "")
    except ValueError:
        return default
    return number if low <= number <= high else default


def _period(request: HttpRequest, kind: str) -> tuple[Period, dict]:
    source = request.POST if request.method == "POST" else request.GET
    on = today()
    if kind == Kind.WEEKLY:
        # Like a year or month out of range, a date that is none (or beyond 2000..2100, whose weeks
        # overflow) means the default: this week.
        day = params.day(source.get("date")) or on
        return period_for(kind, day=day), {"date": day}
    if kind == Kind.MONTHLY:
        y, m = previous_month(on)
        year, month = _int(source.get("year"), y, 2000, 2100), _int(source.get("month"), m, 1, 12)
        return period_for(kind, year=year, number=month), {"year": year, "month": month}
    y, q = previous_quarter(on)
    year, quarter = _int(source.get("year"), y, 2000, 2100), _int(source.get("quarter"), q, 1, 4)
    return period_for(kind, year=year, number=quarter), {"year": year, "quarter": quarter}


def _docx_response(body, filename: str) -> HttpResponse:
    response = FileResponse(body if hasattr(body, "read") else io.BytesIO(body), content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _page(request: HttpRequest, kind: str) -> HttpResponse:
    period, chosen = _period(request, kind)
    region = request.user.region
    query = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in chosen.items()}
    if request.method == "POST":
        if request.POST.get("action") == "issue":
            if not can_issue(request.user):
                raise PermissionDenied
            try:
                doc = document_issue(kind=kind, region=region, period=period, by=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Issued as %(number)s.") % {"number": doc.number})
            return redirect(f"{request.path}?{urlencode(query)}")
        if not can_generate(request.user):
            raise PermissionDenied
        doc = document_generate(kind=kind, region=region, period=period, by=request.user)
        messages.success(request, _("Document generated: %(title)s") % {"title": doc.title})
        return redirect("cadence:list")
    if request.GET.get("format") == "docx":
        if not can_generate(request.user):
            raise PermissionDenied
        title = title_for(kind, region, period)
        return _docx_response(draft_docx(kind, region, period), f"{title}（征求意见稿）.docx")
    overseer = can_generate(request.user)
    context = {
        "kind": kind,
        "period": period,
        "chosen": chosen,
        "query": urlencode(query),
        "data": collect(kind, region, period, user=request.user),
        "region": region,
        "can_generate": overseer,
        "can_issue": can_issue(request.user),
        "issued": issued_for(kind, region, period) if request.user.is_region_wide else None,
        "adjustments": adjustments(kind, region, period) if overseer else [],
        "months": range(1, 13),
        "quarters": range(1, 5),
        "documents": GeneratedDocument.objects.for_user(request.user).filter(
            kind=kind, period_start=period.start, region=region
        )[:5],
    }
    return render(request, TEMPLATES[kind], context)


@login_required
def weekly(request: HttpRequest) -> HttpResponse:
    return _page(request, Kind.WEEKLY)


@login_required
def monthly(request: HttpRequest) -> HttpResponse:
    return _page(request, Kind.MONTHLY)


@login_required
def quarterly(request: HttpRequest) -> HttpResponse:
    return _page(request, Kind.QUARTERLY)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = DocumentSettings
        fields = ["prefix", "copy_to"]
        help_texts = {
            "prefix": gettext_lazy("For example 秀重 gives 秀重调〔2020〕3号 for a quarterly dispatch."),
            "copy_to": gettext_lazy("Separated by Chinese commas (，)."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)


@login_required
@require_http_methods(["GET", "POST"])
def document_list(request: HttpRequest) -> HttpResponse:
    qs = GeneratedDocument.objects.for_user(request.user).select_related("region", "generated_by")
    kind = request.GET.get("kind", "")
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    issued = request.GET.get("issued", "")
    if issued == "1":
        qs = qs.filter(issued_at__isnull=False)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    settings = DocumentSettings.of(request.user.region) if can_issue(request.user) else None
    form = SettingsForm(instance=settings) if settings else None
    if request.method == "POST":
        if settings is None:
            raise PermissionDenied
        form = SettingsForm(request.POST, instance=settings)
        if form.is_valid():
            form.save()
            messages.success(request, _("Document settings saved."))
            return redirect("cadence:list")
    context = {"page": page, "kind": kind, "kinds": Kind.choices, "issued": issued, "settings_form": form}
    return render(request, "cadence/list.html", context, status=400 if form and form.errors else 200)


@login_required
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """An issued document as it was issued; a draft as it reads today (figures of today, no number)."""
    doc = get_object_or_404(GeneratedDocument.objects.for_user(request.user), pk=pk)
    if doc.is_issued:
        return _docx_response(doc.file.open("rb"), f"{doc.title}.docx")
    if doc.kind == Kind.MINUTES:
        return redirect("cadence:minutes_docx", pk=doc.meeting_id)
    body = draft_docx(doc.kind, doc.region, period_of(doc))
    return _docx_response(body, f"{doc.title}（征求意见稿）.docx")


# --- minutes ---------------------------------------------------------------------------------------


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.for_user(request.user).select_related("chair", "region"), pk=pk)


def whose_part(user) -> str:
    """The unit or leader whose part of a meeting a user reads ("" for the whole meeting)."""
    if sees_whole_meeting(user):
        return ""
    if user.unit_id:
        return user.unit.name
    return user.leader.title if user.leader_id else ""


def _seen(user, meeting: Meeting) -> dict:
    """The decisions, projects and blockers of the meeting the user reads (all for the region-wide roles)."""
    blockers = meeting.blockers.select_related("project", "lead_unit")
    if not sees_whole_meeting(user):
        blockers = blockers.filter(pk__in=Blocker.objects.for_user(user).values("pk"))
    return {
        "decisions": decisions_seen_by(
            user,
            meeting.decisions.select_related("project", "blocker").prefetch_related(
                Prefetch("tasks", queryset=SupervisionTask.objects.select_related("assignee_unit"))
            ),
        ),
        "projects": projects_seen_by(user, meeting.projects.select_related("lead_unit")),
        "blockers": blockers,
    }


def _minutes_part(request: HttpRequest, meeting: Meeting, issued: GeneratedDocument | None) -> bytes:
    """A unit's or a leader's part of the minutes, with the number they were issued under (and only
    the decisions the issued minutes hold), or the live draft of that part."""
    seen = _seen(request.user, meeting)
    decisions, projects, blockers = seen["decisions"], seen["projects"], seen["blockers"]
    if issued is not None:
        decisions = decisions.filter(pk__in=issued.figures.get("decisions", []))
        projects = projects.filter(pk__in=issued.figures.get("projects", []))
        blockers = blockers.filter(pk__in=issued.figures.get("blockers", []))
    return minutes_docx(
        meeting,
        projects=projects,
        blockers=blockers,
        decisions=decisions,
        number=issued.number if issued else "",
        printed_on=issued.issued_at.date() if issued else None,
        copy_to=DocumentSettings.of(meeting.region).copy_to,
        part=whose_part(request.user),
    )


@login_required
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting's minutes as a document: issued (number, date) or a draft, and the office's issue button."""
    meeting = _meeting(request, pk)
    context = {
        "meeting": meeting,
        "issued": minutes_issued(meeting),
        "can_issue": can_issue(request.user),
        "part": whose_part(request.user),
        "units": meeting.attending_units.all(),
        **_seen(request.user, meeting),
    }
    return render(request, "cadence/minutes.html", context)


@login_required
def minutes_download(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    issued = minutes_issued(meeting)
    filename = f"{meeting.date:%Y%m%d}{meeting.title}纪要"
    if issued is not None and sees_whole_meeting(request.user):
        return _docx_response(issued.file.open("rb"), f"{filename}.docx")
    body = _minutes_part(request, meeting, issued)
    return _docx_response(body, f"{filename}{'' if issued else '（征求意见稿）'}.docx")


@require_POST
@login_required
def minutes_issue_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    if not can_issue(request.user):
        raise PermissionDenied
    try:
        doc = minutes_issue(meeting=meeting, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Issued as %(number)s.") % {"number": doc.number})
    return redirect(reverse("cadence:minutes", args=[meeting.pk]))
