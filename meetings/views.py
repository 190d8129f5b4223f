"""Meeting pages: list, one meeting with agenda and decisions, record and edit, printable and .docx minutes."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from approvals.readiness import missing, summary
from blockers.models import Blocker
from lib.forms import errors_onto
from lib.today import today
from supervision.models import SupervisionTask

from .documents import minutes_docx
from .forms import DecisionForm, MeetingForm
from .models import Meeting
from .selectors import decisions_seen_by, projects_seen_by, sees_whole_meeting
from .services import can_run_meetings, decision_add, meeting_save

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def get_meeting_for_user(request: HttpRequest, pk: int) -> Meeting:
    """The meeting if the user may see it; 404 otherwise."""
    return get_object_or_404(Meeting.objects.for_user(request.user).select_related("chair", "region"), pk=pk)


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    qs = (
        Meeting.objects.for_user(request.user)
        .select_related("chair")
        .annotate(n_decisions=Count("decisions", distinct=True), n_blockers=Count("blockers", distinct=True))
        .order_by("-date", "-pk")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "meetings/list.html", {"page": page, "can_run": can_run_meetings(request.user)})


def _meeting_context(
    request: HttpRequest, meeting: Meeting, decision_form: DecisionForm | None = None
) -> dict:
    decisions = meeting.decisions.select_related("project", "blocker").prefetch_related(
        Prefetch("tasks", queryset=SupervisionTask.objects.select_related("assignee_unit"))
    )
    decisions = decisions_seen_by(request.user, decisions)
    projects = list(projects_seen_by(request.user, meeting.projects.select_related("lead_unit")))
    # 具备开工条件: for each project on the agenda not yet started, what it lacks and who owns it.
    lacking = missing([p.pk for p in projects if p.actual_start is None])
    for p in projects:
        p.missing = lacking.get(p.pk, []) if p.actual_start is None else None
        p.missing_text = summary(p.missing or [])
    blockers = meeting.blockers.select_related("project", "lead_unit")
    if not sees_whole_meeting(request.user):
        # A unit or a leader reads only the blockers of its own projects.
        blockers = blockers.filter(pk__in=Blocker.objects.for_user(request.user).values("pk"))
    can_run = can_run_meetings(request.user)
    return {
        "meeting": meeting,
        "units": meeting.attending_units.all(),
        "projects": projects,
        "blockers": blockers,
        "decisions": decisions,
        "can_run": can_run,
        "today": today(),
        "decision_form": decision_form
        or (DecisionForm(user=request.user, meeting=meeting) if can_run else None),
    }


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    return render(request, "meetings/detail.html", _meeting_context(request, meeting))


@login_required
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes as a page laid out for printing."""
    meeting = get_meeting_for_user(request, pk)
    return render(request, "meetings/minutes.html", _meeting_context(request, meeting))


@login_required
def meeting_docx(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    part = _meeting_context(request, meeting)
    body = minutes_docx(
        meeting, projects=part["projects"], blockers=part["blockers"], decisions=part["decisions"]
    )
    response = HttpResponse(body, content_type=DOCX)
    filename = f"{meeting.date:%Y%m%d}{meeting.title}纪要.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not can_run_meetings(request.user):
        raise PermissionDenied
    meeting = (
        get_meeting_for_user(request, pk)
        if pk
        else Meeting(region=request.user.region, created_by=request.user)
    )
    initial = {}
    if not pk:
        # The blockers escalated to the executive meeting and still open are what it must decide.
        initial["blockers"] = list(
            Blocker.objects.for_user(request.user)
            .filter(
                level=Blocker.Level.MEETING, status__in=[Blocker.Status.OPEN, Blocker.Status.COORDINATING]
            )
            .values_list("pk", flat=True)
        )
    form = MeetingForm(request.POST or None, instance=meeting, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        meeting = meeting_save(form=form, by=request.user)
        messages.success(request, _("Meeting saved."))
        return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "meeting": meeting if pk else None})


@require_POST
@login_required
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    if not can_run_meetings(request.user):
        raise PermissionDenied
    form = DecisionForm(request.POST, user=request.user, meeting=meeting)
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision_add(meeting=meeting, by=request.user, **data)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/detail.html", _meeting_context(request, meeting, form), status=400)
