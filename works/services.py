"""Writes of the bidding records: a package saved (created or changed, its award among the changes) and a
supervision record saved; each validates, locks the row it changes and records who did it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lib.concurrency import Stale
from lib.today import now, today

from . import rules
from .models import NEEDS_LEGAL_BASIS, Kind, SupervisionRecord, TenderPackage

if TYPE_CHECKING:
    from accounts.models import User

DATES = ["announced_on", "opened_on", "awarded_on"]


def check_package(package: TenderPackage) -> None:
    """The rules of a package, each broken one an error on its field: raises ValidationError."""
    errors: dict[str, str] = {}
    if package.method in NEEDS_LEGAL_BASIS and not package.legal_basis.strip():
        errors["legal_basis"] = _("Single source and direct award need the legal basis that allows them.")
    on = today()
    for name in DATES:
        value = getattr(package, name)
        if value is not None and value > on:
            errors[name] = _("This date has not come yet: record it on the day.")
    if package.opened_on and not package.announced_on and package.method not in NEEDS_LEGAL_BASIS:
        errors["announced_on"] = _("Bids are opened after the announcement: give its date.")
    given = [(name, getattr(package, name)) for name in DATES if getattr(package, name) is not None]
    for (_earlier, first), (name, then) in zip(given, given[1:], strict=False):
        if then < first and name not in errors:
            errors[name] = _("The dates must run in order: announced, opened, awarded.")
    awarded = package.awarded_on is not None
    if awarded and not package.winner.strip():
        errors["winner"] = _("An award needs the winning bidder.")
    if awarded and package.contract_price is None:
        errors["contract_price"] = _("An award needs the contract price.")
    if not awarded and package.contract_price is not None:
        errors.setdefault("awarded_on", _("A contract price belongs to an award: give the award date."))
    if package.contract_price is not None and not package.winner.strip():
        errors.setdefault("winner", _("A contract price needs the winning bidder."))
    if package.winner.strip() and not awarded:
        errors.setdefault("awarded_on", _("A winning bidder belongs to an award: give the award date."))
    if package.chief_engineer.strip() and package.kind != Kind.SUPERVISION:
        errors["chief_engineer"] = _("Only a supervision package has a chief supervising engineer.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def package_save(*, package: TenderPackage, by: User, version: int | None = None) -> TenderPackage:
    """Create a package or save a change to one (the award too); Stale when someone saved in between."""
    if not rules.can_edit_project(by, package.project):
        raise PermissionDenied(_("You may read this project's bidding but not change it."))
    if package.pk is not None:
        # Locked so that two people recording the same award one after the other see each other.
        current = TenderPackage.objects.select_for_update().get(pk=package.pk)
        if version is None or current.version != version:
            raise Stale(current)
        package.version = current.version
    package.winner, package.legal_basis = package.winner.strip(), package.legal_basis.strip()
    check_package(package)
    package.changed_by, package.changed_at = by, now()
    package.full_clean()
    package.save()
    return package


@transaction.atomic
def record_save(*, record: SupervisionRecord, by: User, version: int | None = None) -> SupervisionRecord:
    """Create a supervision record or save a change to one."""
    if not rules.can_supervise(by):
        raise PermissionDenied(
            _("Only the supervision office and the key-project office record supervision.")
        )
    if record.date > today():
        raise ValidationError({"date": _("This date has not come yet: record it on the day.")})
    if record.pk is not None:
        current = SupervisionRecord.objects.select_for_update().get(pk=record.pk)
        if version is None or current.version != version:
            raise Stale(current)
        record.version = current.version
    if record.problem_found and not record.follow_up.strip():
        raise ValidationError({"follow_up": _("A problem found needs its follow-up.")})
    record.changed_by, record.changed_at = by, now()
    record.full_clean()
    record.save()
    return record
