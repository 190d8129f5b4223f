"""Who hears of a report's workflow and of a moved start commitment (connected in ReportsConfig.ready).

Submitted (or resubmitted) → the office of the project's region; returned, approved, reopened → the
filing unit; a new committed start that supersedes another → the office and the project's leader."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.events import follow
from notifications.models import Notification
from notifications.services import (
    Announcement,
    Notice,
    leader_users,
    may_open,
    office_of,
    unit_users,
    units_may_open,
)
from projects.models import Project

from .models import ReportEvent, StartCommitment

Action = ReportEvent.Action
TOLD = (Action.SUBMITTED, Action.RESUBMITTED, Action.RETURNED, Action.APPROVED, Action.REOPENED)


def told(event: ReportEvent) -> bool:
    """Whether anyone hears of this step: a draft created or saved is nobody's news."""
    return event.action in TOLD


def _title(action: str) -> str:
    # Spelled out so that the messages are extracted and translated.
    return {
        Action.SUBMITTED: _("Report submitted: %(p)s, %(y)d-%(m)02d"),
        Action.RESUBMITTED: _("Report resubmitted: %(p)s, %(y)d-%(m)02d"),
        Action.RETURNED: _("Report returned: %(p)s, %(y)d-%(m)02d"),
        Action.APPROVED: _("Report approved: %(p)s, %(y)d-%(m)02d"),
        Action.REOPENED: _("Report reopened: %(p)s, %(y)d-%(m)02d"),
    }[action]


def report_event(event: ReportEvent) -> Announcement | None:
    if not told(event):
        return None
    report = event.report
    project = Project.objects.select_related("lead_unit__region").get(pk=report.project_id)
    if event.action in (Action.SUBMITTED, Action.RESUBMITTED):
        people, units = office_of(project.region_id), []
    else:
        people, units = unit_users([project.lead_unit_id]), [project.lead_unit]
    notice = Notice(
        kind=Notification.Kind.REPORT,
        key=f"report-event:{event.pk}",
        title=_title(event.action) % {"p": project.name, "y": report.year, "m": report.month},
        body=event.reason,
        url=reverse("reports:report", args=[project.pk, report.year, report.month]),
    )
    return Announcement(
        notice=notice,
        users=may_open(people, Project.objects.for_user, project.pk, besides=event.by),
        units=units_may_open(units, Project.objects.for_user, project.pk),
        region=project.region,
    )


def start_commitment(commitment: StartCommitment) -> Announcement | None:
    """Only a move: the first commitment of a project tells nobody."""
    if (
        not StartCommitment.objects.filter(project_id=commitment.project_id)
        .exclude(pk=commitment.pk)
        .exists()
    ):
        return None
    project = Project.objects.select_related("lead_unit__region", "region").get(pk=commitment.project_id)
    title = _("Committed start moved: %(p)s, now %(d)s") % {
        "p": project.name,
        "d": commitment.committed_date.isoformat(),
    }
    people = office_of(project.region_id) + leader_users([project.leader_id])
    return Announcement(
        notice=Notice(
            kind=Notification.Kind.COMMITMENT,
            key=f"start-commitment:{commitment.pk}",
            title=title,
            body=" · ".join(x for x in (commitment.source, commitment.note) if x),
            url=reverse("projects:detail", args=[project.pk]),
            region_line=title,
        ),
        users=may_open(people, Project.objects.for_user, project.pk, besides=commitment.by),
        units=units_may_open([project.lead_unit], Project.objects.for_user, project.pk),
        region=project.region,
    )


def connect() -> None:
    follow(ReportEvent, report_event, when=told)
    follow(StartCommitment, start_commitment)
