"""Writes of quality and safety: record an inspection, a hazard, an accident; rectify, verify or send
back a hazard. Each validates whole and saves in one transaction, or raises with a message and changes
nothing. Hazard steps lock the row and check the version the form was drawn from (lib.concurrency):
a unit rectifying while the supervisor verifies must not both win."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from lib.concurrency import Stale, WrongState
from lib.today import now, today
from projects.models import Project, Unit

from . import rules
from .models import Accident, Hazard, SafetyInspection

if TYPE_CHECKING:
    from accounts.models import User

State = Hazard.State


def project_units(project: Project) -> list[Unit]:
    """The units that may answer for a project's hazard: its lead unit, then its cooperating units."""
    return [project.lead_unit, *project.cooperating_units.exclude(pk=project.lead_unit_id).order_by("name")]


def _not_in_future(day: dt.date | None, field: str, message: str) -> None:
    if day is not None and day > today():
        raise ValidationError({field: message})


@transaction.atomic
def inspection_record(
    *,
    project: Project,
    by: User | None,
    date: dt.date,
    body: str,
    inspectors: str,
    kind: str,
    body_name: str = "",
    notes: str = "",
) -> SafetyInspection:
    """Record a quality and safety inspection of a project."""
    if by is not None and not rules.can_record(by):
        raise PermissionDenied(
            _("Only the supervision office and the key-project office record inspections.")
        )
    _not_in_future(date, "date", _("An inspection cannot take place in the future."))
    inspection = SafetyInspection(
        project=project,
        date=date,
        body=body,
        body_name=body_name.strip(),
        inspectors=inspectors.strip(),
        kind=kind,
        notes=notes.strip(),
        recorded_by=by,
    )
    inspection.full_clean()
    inspection.save()
    return inspection


@transaction.atomic
def hazard_record(
    *,
    inspection: SafetyInspection,
    by: User | None,
    level: str,
    category: str,
    description: str,
    deadline: dt.date,
    responsible_unit: Unit,
    contractor: str = "",
    photo: ContentFile | None = None,
) -> Hazard:
    """Record a hazard an inspection found, open until the unit rectifies it."""
    if by is not None and not rules.can_record(by):
        raise PermissionDenied(_("Only the supervision office and the key-project office record hazards."))
    project = inspection.project
    if responsible_unit.pk not in {u.pk for u in project_units(project)}:
        raise ValidationError(
            {"responsible_unit": _("The responsible unit must be the project's lead or cooperating unit.")}
        )
    if deadline is not None and deadline < inspection.date:
        raise ValidationError(
            {
                "deadline": _("The rectification deadline cannot come before the inspection (%(date)s).")
                % {"date": inspection.date.isoformat()}
            }
        )
    hazard = Hazard(
        inspection=inspection,
        project=project,
        level=level,
        category=category,
        description=description.strip(),
        deadline=deadline,
        responsible_unit=responsible_unit,
        contractor=contractor.strip(),
        changed_by=by,
        changed_at=now(),
    )
    if photo is not None:
        hazard.photo = photo
    hazard.full_clean()
    hazard.save()
    return hazard


def _lock(hazard: Hazard, version: int | None) -> Hazard:
    """The hazard re-read under a lock; Stale when it is no longer at `version` (None: not checked)."""
    locked = Hazard.objects.select_for_update().get(pk=hazard.pk)
    if version is not None and locked.version != version:
        raise Stale(locked)
    return locked


def _must_be(hazard: Hazard, state: str, message: str) -> None:
    if hazard.state != state:
        raise WrongState(
            _("%(message)s It is now: %(state)s.") % {"message": message, "state": hazard.get_state_display()}
        )


@transaction.atomic
def hazard_rectify(
    *,
    hazard: Hazard,
    by: User,
    measures: str,
    rectified_on: dt.date,
    photo: ContentFile | None = None,
    version: int | None = None,
) -> Hazard:
    """The project's unit records the measures taken; the hazard waits for verification."""
    locked = _lock(hazard, version)
    _must_be(locked, State.OPEN, _("Only an open hazard can be rectified."))
    if not rules.can_rectify(by, locked):
        raise PermissionDenied(_("Only the project's own unit records a rectification."))
    if not measures.strip():
        raise ValidationError({"measures": _("Say what measures were taken.")})
    if rectified_on is None:
        raise ValidationError({"rectified_on": _("Give the date of the rectification.")})
    _not_in_future(rectified_on, "rectified_on", _("A rectification cannot be dated in the future."))
    if rectified_on < locked.inspection.date:
        raise ValidationError(
            {
                "rectified_on": _("The rectification cannot come before the inspection (%(date)s).")
                % {"date": locked.inspection.date.isoformat()}
            }
        )
    locked.state = State.RECTIFIED
    locked.measures = measures.strip()
    locked.rectified_on = rectified_on
    locked.rectified_by = by
    if photo is not None:
        locked.rectification_photo = photo
    locked.sent_back_reason = ""
    locked.changed_by, locked.changed_at = by, now()
    locked.save()
    return locked


@transaction.atomic
def hazard_verify(*, hazard: Hazard, by: User, version: int | None = None) -> Hazard:
    """The supervisor or the office has checked the rectification: the hazard is closed off (销号)."""
    locked = _lock(hazard, version)
    _must_be(locked, State.RECTIFIED, _("Only a rectified hazard can be verified."))
    if not rules.can_verify(by):
        raise PermissionDenied(_("Only the supervision office or the key-project office verifies hazards."))
    locked.state = State.VERIFIED
    locked.verified_on = today()
    locked.verified_by = by
    locked.changed_by, locked.changed_at = by, now()
    locked.save()
    return locked


@transaction.atomic
def hazard_send_back(*, hazard: Hazard, by: User, reason: str, version: int | None = None) -> Hazard:
    """The check failed: the hazard is open again, with the reason, for the unit to rectify."""
    locked = _lock(hazard, version)
    _must_be(locked, State.RECTIFIED, _("Only a rectified hazard can be sent back."))
    if not rules.can_verify(by):
        raise PermissionDenied(_("Only the supervision office or the key-project office sends hazards back."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for sending it back.")})
    locked.state = State.OPEN
    locked.sent_back_reason = reason.strip()
    locked.rectified_on = None
    locked.changed_by, locked.changed_at = by, now()
    locked.save()
    return locked


@transaction.atomic
def accident_save(*, accident: Accident, by: User, version: int | None = None) -> Accident:
    """Record an accident, or save a change to one (its report status as the investigation goes on)."""
    if not rules.can_record(by):
        raise PermissionDenied(_("Only the supervision office and the key-project office record accidents."))
    _not_in_future(accident.date, "date", _("An accident cannot be dated in the future."))
    if accident.pk is not None:
        current = Accident.objects.select_for_update().get(pk=accident.pk)
        if version is None or current.version != version:
            raise Stale(current)
        accident.version = current.version
    accident.changed_by, accident.changed_at = by, now()
    accident.full_clean()
    accident.save()
    return accident
