"""The pool's state changes: a unit proposes and keeps its candidates, the office accepts them or
returns them with a reason and sets their priority; documents, applications and channels."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lib.concurrency import WrongState
from lib.today import now
from regions.models import Region

from .models import DEFAULT_CHANNELS, Candidate, FundingApplication, FundingChannel, PackagingDocument

if TYPE_CHECKING:
    from accounts.models import User

CANDIDATE_FIELDS = (
    "name",
    "sector",
    "lead_unit",
    "leader",
    "content",
    "owner",
    "location",
    "estimated_investment",
    "proposed_start_year",
    "maturity",
    "national_code",
    "entered_on",
)


def channels_ensure_defaults(*, region: Region) -> None:
    """Give a region the usual channels the first time its office opens the pool."""
    if FundingChannel.objects.filter(region=region).exists():
        return
    FundingChannel.objects.bulk_create(
        [FundingChannel(region=region, name=name, sort=i) for i, name in enumerate(DEFAULT_CHANNELS)],
        ignore_conflicts=True,
    )


@transaction.atomic
def candidate_propose(
    *, by: User, region: Region, fields: dict[str, Any], townships: Iterable, channels: Iterable
) -> Candidate:
    """A new candidate, proposed (a unit's always as its own; the office's for any unit)."""
    if not (by.is_office or by.is_unit):
        raise PermissionDenied
    if by.is_unit:
        fields = {**fields, "lead_unit": by.unit}
    candidate = Candidate(region=region, proposed_by=by, **fields)
    if by.is_office:
        # The office's own candidates need no review by itself.
        candidate.review_state = Candidate.Review.ACCEPTED
        candidate.reviewed_by, candidate.reviewed_at = by, now()
    candidate.full_clean()
    candidate._history_user = by
    candidate.save()
    candidate.townships.set(townships)
    candidate.channels.set(channels)
    return candidate


def _locked(candidate: Candidate, *, by: User) -> Candidate:
    """The row again under lock, if the user may still change it. select_for_update: two people
    acting at once (a unit editing while the office accepts) are served one after the other."""
    locked = Candidate.objects.select_for_update().filter(pk=candidate.pk).first()
    if locked is None or not Candidate.objects.editable_by(by).filter(pk=candidate.pk).exists():
        raise PermissionDenied
    return locked


@transaction.atomic
def candidate_edit(
    *, candidate: Candidate, by: User, fields: dict[str, Any], townships: Iterable, channels: Iterable
) -> Candidate:
    """Change a candidate's data. A unit changes its own while proposed or returned; a returned
    candidate a unit changes goes back to the office as proposed."""
    locked = _locked(candidate, by=by)
    if by.is_unit:
        fields = {**fields, "lead_unit": by.unit}
    for name, value in fields.items():
        setattr(locked, name, value)
    if by.is_unit and locked.review_state == Candidate.Review.RETURNED:
        locked.review_state = Candidate.Review.PROPOSED
    locked.full_clean()
    locked._history_user = by
    locked.save()
    locked.townships.set(townships)
    locked.channels.set(channels)
    return locked


@transaction.atomic
def candidate_review(
    *, candidate: Candidate, by: User, accept: bool, reason: str = "", priority: str = ""
) -> Candidate:
    """The office accepts a candidate (with a priority) or returns it to its unit with a reason;
    the reason stays in the candidate's history and is shown to the unit."""
    if not by.is_office:
        raise PermissionDenied
    locked = _locked(candidate, by=by)
    reason = reason.strip()
    if accept:
        if locked.review_state == Candidate.Review.ACCEPTED and locked.priority == priority:
            raise WrongState(_("This candidate has already been accepted."))
        locked.review_state, locked.return_reason = Candidate.Review.ACCEPTED, ""
        locked.priority = priority
    else:
        if not reason:
            raise ValidationError({"reason": _("Say why the candidate is returned.")})
        if locked.review_state == Candidate.Review.RETURNED:
            raise WrongState(_("This candidate has already been returned."))
        locked.review_state, locked.return_reason = Candidate.Review.RETURNED, reason
    locked.reviewed_by, locked.reviewed_at = by, now()
    locked._history_user = by
    locked.save()
    return locked


@transaction.atomic
def document_save(
    *, candidate: Candidate, by: User, kind: str, fields: dict[str, Any], upload=None
) -> PackagingDocument:
    """Record where one packaging document stands, with its file if one came (already checked)."""
    _locked(candidate, by=by)
    doc = PackagingDocument.objects.select_for_update().filter(candidate=candidate, kind=kind).first()
    doc = doc or PackagingDocument(candidate=candidate, kind=kind)
    for name, value in fields.items():
        setattr(doc, name, value)
    if doc.state != PackagingDocument.State.APPROVED:
        doc.approved_on, doc.approving_body, doc.document_number = None, "", ""
    if upload is not None:
        doc.file.save(upload.name, upload, save=False)
        doc.file_name = upload.name[-200:]
    doc.full_clean()
    doc._history_user = by
    doc.save()
    return doc


@transaction.atomic
def application_save(
    *, candidate: Candidate, by: User, fields: dict[str, Any], application: FundingApplication | None = None
) -> FundingApplication:
    """Add or change one funding application of a candidate."""
    _locked(candidate, by=by)
    app = application or FundingApplication(candidate=candidate)
    for name, value in fields.items():
        setattr(app, name, value)
    app.full_clean()
    app._history_user = by
    app.save()
    return app


@transaction.atomic
def application_delete(*, application: FundingApplication, by: User) -> None:
    _locked(application.candidate, by=by)
    application.soft_delete(by=by)


@transaction.atomic
def channel_save(
    *, by: User, fields: dict[str, Any], channel: FundingChannel | None = None
) -> FundingChannel:
    """The office adds, renames or retires one of its region's channels."""
    if not by.is_office:
        raise PermissionDenied
    channel = channel or FundingChannel(region=by.region)
    if channel.region_id != by.region_id:
        raise PermissionDenied
    for name, value in fields.items():
        setattr(channel, name, value)
    channel.full_clean()
    channel._history_user = by
    channel.save()
    return channel
