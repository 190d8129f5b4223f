"""Supervision state changes: assign, feed back, report done, verify or send back; record an inspection.

Each runs in one transaction, locks the task row it changes, and writes a TaskFeedback line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from blockers.services import blocker_raise
from lib.concurrency import Stale, WrongState
from lib.today import now
from projects.models import Leader, Project, Unit
from regions.models import Region

from . import rules
from .models import Inspection, InspectionBlocker, InspectionPhoto, SupervisionTask, TaskFeedback

if TYPE_CHECKING:
    from accounts.models import User

Status = SupervisionTask.Status


def _lock(task: SupervisionTask, version: int | None = None) -> SupervisionTask:
    """The task re-read under a lock. `version`: the one the form was drawn from (None: not
    checked); another raises lib.concurrency.Stale, nothing changed."""
    # A unit reporting done while the supervisor sends back must not both win: decide on the locked row.
    locked = SupervisionTask.objects.select_for_update().get(pk=task.pk)
    if version is not None and locked.version != version:
        raise Stale(locked)
    return locked


def _must_be(task: SupervisionTask, status: str, message: str) -> None:
    if task.status != status:
        raise WrongState(
            _("%(message)s It is now: %(status)s.")
            % {"message": message, "status": task.get_status_display()}
        )


def _log(task: SupervisionTask, by: User | None, kind: str, text: str = "") -> TaskFeedback:
    return TaskFeedback.objects.create(task=task, by=by, kind=kind, text=text, at=now())


@transaction.atomic
def task_assign(
    *,
    region: Region,
    title: str,
    assignee_unit: Unit,
    deadline: dt.date,
    by: User | None,
    source: str = SupervisionTask.Source.INSTRUCTION,
    requirement: str = "",
    project: Project | None = None,
    blocker=None,
    leader: Leader | None = None,
    source_inspection: Inspection | None = None,
) -> SupervisionTask:
    """Assign a supervision task to a unit with a deadline."""
    if by is not None and not rules.can_assign(by, project):
        raise PermissionDenied(_("You may not assign supervision tasks here."))
    if not title.strip():
        raise ValidationError({"title": _("Say what must be done.")})
    if deadline is None:
        raise ValidationError({"deadline": _("A task needs a deadline.")})
    if leader is None and project is not None:
        leader = project.leader
    task = SupervisionTask.objects.create(
        region=region,
        title=title.strip(),
        requirement=requirement,
        assignee_unit=assignee_unit,
        deadline=deadline,
        source=source,
        project=project,
        blocker=blocker,
        leader=leader,
        source_inspection=source_inspection,
        created_by=by,
        created_at=now(),
    )
    _log(task, by, TaskFeedback.Kind.CREATED, requirement)
    return task


@transaction.atomic
def task_feedback(*, task: SupervisionTask, by: User, text: str) -> TaskFeedback:
    locked = _lock(task)
    _must_be(locked, Status.OPEN, _("Feedback is given on a task in progress."))
    if not rules.can_feedback(by, locked):
        raise PermissionDenied(_("You may not give feedback on this task."))
    if not text.strip():
        raise ValidationError({"text": _("Write the progress.")})
    return _log(locked, by, TaskFeedback.Kind.FEEDBACK, text.strip())


@transaction.atomic
def task_report_done(
    *, task: SupervisionTask, by: User, text: str, version: int | None = None
) -> SupervisionTask:
    """The assignee unit says the task is done; it waits for the supervisor's check."""
    locked = _lock(task, version)
    _must_be(locked, Status.OPEN, _("Only a task in progress can be reported done."))
    if not rules.can_report_done(by, locked):
        raise PermissionDenied(_("Only the assignee unit reports an open task done."))
    if not text.strip():
        raise ValidationError({"text": _("Say what was done.")})
    locked.status = Status.REPORTED
    locked.reported_at = now()
    locked.save(update_fields=["status", "reported_at"])
    _log(locked, by, TaskFeedback.Kind.REPORTED, text.strip())
    return locked


@transaction.atomic
def task_close(
    *, task: SupervisionTask, by: User, note: str = "", version: int | None = None
) -> SupervisionTask:
    """The supervisor has checked the work: the task is closed."""
    locked = _lock(task, version)
    _must_be(locked, Status.REPORTED, _("Only a task reported done can be closed."))
    if not rules.can_verify(by, locked):
        raise PermissionDenied(_("Only the supervision office or the key-project office closes tasks."))
    locked.status = Status.CLOSED
    locked.closed_at = now()
    locked.save(update_fields=["status", "closed_at"])
    _log(locked, by, TaskFeedback.Kind.CLOSED, note.strip())
    return locked


@transaction.atomic
def task_send_back(
    *, task: SupervisionTask, by: User, reason: str, version: int | None = None
) -> SupervisionTask:
    """The check failed: back to the unit with the reason."""
    locked = _lock(task, version)
    _must_be(locked, Status.REPORTED, _("Only a task reported done can be sent back."))
    if not rules.can_verify(by, locked):
        raise PermissionDenied(_("Only the supervision office or the key-project office sends tasks back."))
    if not reason.strip():
        raise ValidationError({"text": _("Give the reason for sending it back.")})
    locked.status = Status.OPEN
    locked.reported_at = None
    locked.save(update_fields=["status", "reported_at"])
    _log(locked, by, TaskFeedback.Kind.SENT_BACK, reason.strip())
    return locked


@transaction.atomic
def inspection_record(
    *,
    project: Project,
    by: User | None,
    date: dt.date,
    findings: str,
    photos: Iterable[UploadedFile] = (),
    follow_up: str = Inspection.FollowUp.NONE,
    blocker_kind: str = "",
    task_title: str = "",
    assignee_unit: Unit | None = None,
    deadline: dt.date | None = None,
) -> Inspection:
    """Record an inspection with its photos and, in the same transaction, the blocker or task it opens."""
    if by is not None and not rules.can_inspect(by):
        raise PermissionDenied(_("Only supervisors record inspections."))
    if not findings.strip():
        raise ValidationError({"findings": _("Write what was found.")})
    inspection = Inspection.objects.create(
        project=project, date=date, inspector=by, findings=findings.strip(), follow_up=follow_up
    )
    for photo in photos:
        InspectionPhoto.objects.create(inspection=inspection, image=photo)
    if follow_up == Inspection.FollowUp.BLOCKER:
        if not blocker_kind:
            raise ValidationError({"blocker_kind": _("Choose the kind of blocker.")})
        blocker = blocker_raise(
            project=project,
            by=by,
            kind=blocker_kind,
            description=findings.strip(),
            lead_unit=assignee_unit,
            deadline=deadline,
            source="inspection",
        )
        InspectionBlocker.objects.create(inspection=inspection, blocker=blocker)
    elif follow_up == Inspection.FollowUp.TASK:
        task_assign(
            region=project.region,
            title=task_title.strip() or findings.strip()[:200],
            requirement=findings.strip(),
            assignee_unit=assignee_unit or project.lead_unit,
            deadline=deadline,
            by=by,
            source=SupervisionTask.Source.INSPECTION,
            project=project,
            source_inspection=inspection,
        )
    return inspection
