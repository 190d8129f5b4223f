"""Meeting writes: record a meeting with its agenda, add decisions (which may create supervision tasks and
set a project's committed start date)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from blockers.models import Blocker, BlockerEvent
from lib.today import now
from projects.models import Project, Unit
from reports.services import commit_start
from supervision.models import SupervisionTask
from supervision.services import task_assign

from .models import BlockerEventMeeting, Decision, DecisionTask, Meeting

if TYPE_CHECKING:
    from accounts.models import User

    from .forms import MeetingForm


def can_run_meetings(user: User) -> bool:
    """The key-project office records meetings and their decisions."""
    return user.is_authenticated and user.is_office


def _commit_start(*, project: Project, date: dt.date, by: User | None, note: str, source: str) -> bool:
    """Hand the committed start date to the reports app; say whether it was set."""
    if by is None:
        return False
    commit_start(project=project, date=date, by=by, note=note, source=source)
    return True


def _blocker_event(*, blocker: Blocker, meeting: Meeting, by: User | None, kind: str, text: str = "") -> None:
    event = BlockerEvent.objects.create(blocker=blocker, by=by, kind=kind, text=text, at=now())
    BlockerEventMeeting.objects.create(event=event, meeting=meeting)


@transaction.atomic
def agenda_note(*, meeting: Meeting, blockers: Iterable[Blocker], by: User | None) -> None:
    """Write "put on the agenda of <meeting>" on the timeline of each blocker just put on its agenda."""
    for blocker in blockers:
        _blocker_event(blocker=blocker, meeting=meeting, by=by, kind=BlockerEvent.Kind.AGENDA)


@transaction.atomic
def meeting_save(*, form: MeetingForm, by: User | None) -> Meeting:
    """Save a valid meeting form; each blocker new on the agenda gets a line on its timeline."""
    before = set(form.instance.blockers.values_list("pk", flat=True)) if form.instance.pk else set()
    meeting = form.save()
    agenda_note(meeting=meeting, blockers=meeting.blockers.exclude(pk__in=before), by=by)
    return meeting


@transaction.atomic
def decision_add(
    *,
    meeting: Meeting,
    by: User | None,
    text: str,
    project: Project | None = None,
    blocker: Blocker | None = None,
    committed_start: dt.date | None = None,
    task_title: str = "",
    task_unit: Unit | None = None,
    task_deadline: dt.date | None = None,
) -> Decision:
    """Record a decision; with a task title, assign a supervision task from it; with a committed start,
    set it on the project. All or nothing."""
    if by is not None and not can_run_meetings(by):
        raise PermissionDenied(_("Only the key-project office records decisions."))
    # Numbering reads the current maximum: lock the meeting so two clerks do not both write decision 3.
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not text.strip():
        raise ValidationError({"text": _("Write the decision.")})
    if blocker is not None and project is None:
        project = blocker.project
    if committed_start and project is None:
        raise ValidationError({"committed_start": _("A committed start date needs a project.")})
    if task_title.strip() and task_deadline is None:
        raise ValidationError({"task_deadline": _("A task needs a deadline.")})
    number = (meeting.decisions.aggregate(n=Max("number"))["n"] or 0) + 1
    decision = Decision.objects.create(
        meeting=meeting,
        number=number,
        text=text.strip(),
        project=project,
        blocker=blocker,
        committed_start=committed_start,
    )
    if project is not None:
        meeting.projects.add(project)
    if blocker is not None:
        if not meeting.blockers.filter(pk=blocker.pk).exists():
            meeting.blockers.add(blocker)
            agenda_note(meeting=meeting, blockers=[blocker], by=by)
        _blocker_event(
            blocker=blocker, meeting=meeting, by=by, kind=BlockerEvent.Kind.DECIDED, text=decision.text
        )
    if task_title.strip():
        unit = (
            task_unit or (blocker.lead_unit if blocker else None) or (project.lead_unit if project else None)
        )
        if unit is None:
            raise ValidationError({"task_unit": _("Choose the unit the task goes to.")})
        task = task_assign(
            region=meeting.region,
            title=task_title.strip(),
            requirement=text.strip(),
            assignee_unit=unit,
            deadline=task_deadline,
            by=by,
            source=SupervisionTask.Source.DECISION,
            project=project,
            blocker=blocker,
            leader=meeting.chair,
        )
        DecisionTask.objects.create(decision=decision, task=task)
    if committed_start and project is not None:
        _commit_start(project=project, date=committed_start, by=by, note=decision.text, source=str(meeting))
    return decision
