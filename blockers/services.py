"""Blocker state changes. Each validates, locks the row, changes it and writes the timeline in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lib.concurrency import Stale, WrongState
from lib.today import now
from projects.models import Leader, Project, Unit

from . import rules
from .models import Blocker, BlockerEvent

if TYPE_CHECKING:
    from accounts.models import User


def _lock(blocker: Blocker, version: int | None = None) -> Blocker:
    """The blocker re-read under a lock. `version`: the one the form was drawn from (None: not
    checked); another raises lib.concurrency.Stale, nothing changed."""
    # Two people acting on the same blocker at once (a unit resolving while the office edits) must not
    # overwrite each other's status: re-read the row under a lock and decide on that.
    locked = Blocker.objects.select_for_update().select_related("project").get(pk=blocker.pk)
    if version is not None and locked.version != version:
        raise Stale(locked)
    return locked


def _event(blocker: Blocker, by: User | None, kind: str, **fields) -> BlockerEvent:
    return BlockerEvent.objects.create(blocker=blocker, by=by, kind=kind, at=now(), **fields)


@transaction.atomic
def blocker_raise(
    *,
    project: Project,
    by: User | None,
    kind: str,
    description: str,
    lead_unit: Unit | None = None,
    cooperating_units: Iterable[Unit] = (),
    leader: Leader | None = None,
    deadline: dt.date | None = None,
    measures: str = "",
    source: str = Blocker.Source.PROJECT,
    source_report=None,
) -> Blocker:
    """Record a new blocker on a project; defaults the lead unit and leader to the project's."""
    if by is not None and not rules.can_raise(by, project):
        raise PermissionDenied(_("You may not raise a blocker on this project."))
    if not description.strip():
        raise ValidationError({"description": _("Describe what is blocking the project.")})
    blocker = Blocker.objects.create(
        project=project,
        kind=kind,
        description=description.strip(),
        raised_by=by,
        raised_at=now(),
        lead_unit=lead_unit or project.lead_unit,
        leader=leader if leader is not None else project.leader,
        deadline=deadline,
        measures=measures,
        source=source,
        source_report=source_report,
    )
    blocker.cooperating_units.set(cooperating_units)
    _event(blocker, by, BlockerEvent.Kind.CREATED, to_status=blocker.status, text=blocker.description)
    return blocker


@transaction.atomic
def blocker_set_measures(*, blocker: Blocker, by: User, measures: str, version: int | None = None) -> Blocker:
    """Replace the measures taken; the old and new text both stay on the timeline."""
    locked = _lock(blocker, version)
    if locked.status == Blocker.Status.CLOSED:
        raise WrongState(_("The blocker is closed: its measures no longer change."))
    if not rules.can_edit_measures(by, locked):
        raise PermissionDenied(_("You may not change the measures of this blocker."))
    measures = measures.strip()
    if not measures:
        raise ValidationError({"measures": _("Say what is being done.")})
    locked.measures = measures
    locked.save(update_fields=["measures", "updated"])
    _event(locked, by, BlockerEvent.Kind.MEASURES, text=measures)
    return locked


@transaction.atomic
def blocker_move(
    *, blocker: Blocker, by: User, to: str, note: str = "", version: int | None = None
) -> Blocker:
    """Move the status one step: open → in coordination → resolved → closed (closing only by office or
    supervisor, and only once resolved); a resolved blocker may be reopened by them with a reason."""
    locked = _lock(blocker, version)
    frm = locked.status
    if (frm, to) not in rules.TRANSITIONS:
        raise WrongState(
            _("A blocker cannot go from %(from)s to %(to)s.")
            % {"from": Blocker.Status(frm).label, "to": Blocker.Status(to).label}
        )
    if not rules.can_move(by, locked, to):
        raise PermissionDenied(_("You may not make this change."))
    if frm == Blocker.Status.RESOLVED and to == Blocker.Status.COORDINATING and not note.strip():
        raise ValidationError({"note": _("Give the reason for reopening.")})
    moment = now()
    locked.status = to
    if to == Blocker.Status.RESOLVED:
        locked.resolved_at = moment
    elif to == Blocker.Status.CLOSED:
        locked.closed_at = moment
    elif frm == Blocker.Status.RESOLVED:
        locked.resolved_at = None
    locked.save(update_fields=["status", "resolved_at", "closed_at", "updated"])
    _event(locked, by, BlockerEvent.Kind.STATUS, from_status=frm, to_status=to, text=note.strip())
    return locked


@transaction.atomic
def blocker_escalate(
    *, blocker: Blocker, by: User | None, level: int, reason: str, version: int | None = None
) -> Blocker:
    """Raise the blocker to the leader in charge or the county executive meeting, saying who and why."""
    locked = _lock(blocker, version)
    if not locked.is_open:
        raise WrongState(_("Only an open blocker can be escalated."))
    if level <= locked.level and locked.level == Blocker.Level.MEETING:
        raise WrongState(_("The blocker is already at the county executive meeting."))
    if by is not None and not rules.can_escalate(by, locked):
        raise PermissionDenied(_("You may not escalate this blocker."))
    if level <= locked.level or level not in Blocker.Level.values:
        raise ValidationError({"level": _("Choose a level above the current one.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why it needs a higher level.")})
    locked.level = level
    locked.escalated_by = by
    locked.escalated_at = now()
    locked.escalation_reason = reason.strip()
    locked.save(update_fields=["level", "escalated_by", "escalated_at", "escalation_reason", "updated"])
    _event(locked, by, BlockerEvent.Kind.ESCALATED, level=level, text=reason.strip())
    return locked


@transaction.atomic
def blocker_comment(*, blocker: Blocker, by: User, text: str) -> BlockerEvent:
    if not rules.can_comment(by, blocker):
        raise PermissionDenied(_("You may not comment on this blocker."))
    if not text.strip():
        raise ValidationError({"text": _("Write a comment.")})
    _lock(blocker)
    return _event(blocker, by, BlockerEvent.Kind.COMMENT, text=text.strip())


@transaction.atomic
def blocker_edit(
    *,
    blocker: Blocker,
    by: User,
    changes: dict,
    cooperating_units: Iterable[Unit] | None = None,
    version: int | None = None,
) -> Blocker:
    """Change kind, description, deadline, lead unit or leader; the timeline lists what changed."""
    locked = _lock(blocker, version)
    if locked.status == Blocker.Status.CLOSED:
        raise WrongState(_("The blocker is closed: it no longer changes."))
    if not rules.can_edit(by, locked):
        raise PermissionDenied(_("You may not edit this blocker."))
    said = []
    for field, value in changes.items():
        old = getattr(locked, field)
        if old != value:
            setattr(locked, field, value)
            label = Blocker._meta.get_field(field).verbose_name
            said.append(f"{label}: {old or '—'} → {value or '—'}")
    if cooperating_units is not None:
        before = set(locked.cooperating_units.values_list("pk", flat=True))
        after = {u.pk for u in cooperating_units}
        if before != after:
            locked.cooperating_units.set(cooperating_units)
            said.append(str(Blocker._meta.get_field("cooperating_units").verbose_name))
    if said:
        locked.save()
        _event(locked, by, BlockerEvent.Kind.EDITED, text="\n".join(said))
    return locked
