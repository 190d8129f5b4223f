"""Audit writes outside a request: the retention prune, and bringing back a deleted row."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from lib.softdelete import DELETED_AT

from . import immutability


def audit_prune(*, keep_days: int | None = None) -> int:
    """Delete the audit rows older than `keep_days` days (default KEYPROJ_AUDIT_DAYS, 365; at least
    180) — historical records, the login log, the audit log — and return how many. Workflow
    timelines (report, blocker and task events) are kept with their objects. Real clock."""
    days = settings.KEYPROJ_AUDIT_DAYS if keep_days is None else keep_days
    if days < immutability.MIN_DAYS:
        raise ValueError(f"keep at least {immutability.MIN_DAYS} days of the audit trail, not {days}")
    cutoff = timezone.now() - dt.timedelta(days=days)
    tables = {t: c for t, c in immutability.audited_tables().items() if c}
    deleted = 0
    with immutability.deletable_before(cutoff):
        for model in apps.get_models():
            column = tables.get(model._meta.db_table)
            if column:
                count, _per_model = model._base_manager.filter(**{f"{column}__lt": cutoff}).delete()
                deleted += count
    return deleted


class NotRestorable(Exception):
    """The row cannot be brought back: no such model, no deletion recorded, or it exists again."""


def _soft_restore(model: type[models.Model], row: models.Model) -> models.Model:
    """Clear a soft delete's mark (lib.softdelete): refused while a soft-deleted parent is gone, or
    when a live row has taken its place (a conditional unique constraint)."""
    label = model._meta.label_lower
    for field in model._meta.concrete_fields:
        parent = getattr(row, field.name) if field.many_to_one else None
        if getattr(parent, DELETED_AT, None) is not None:
            raise NotRestorable(f"{label} {row.pk} belongs to a deleted {field.name}: restore that first")
    try:
        with transaction.atomic():
            row.undelete(reason="restored")
    except IntegrityError as exc:
        raise NotRestorable(f"{label} {row.pk} is in the way of a row added since: {exc}") from exc
    return row


def deleted_restore(*, label: str, pk: int) -> models.Model:
    """Bring back a row a user deleted (approval nodes, pool applications, list entries, milestones,
    team members, …). A soft-deleted row (lib.softdelete, since issue 13) gets its mark cleared, a
    version with the reason "restored". A row hard-deleted before that comes back as it was when
    deleted, with its id, from its newest historical record (a '-' row: who deleted it and when stay
    in the trail), a new version by "system" with the reason "restored". Either way the audit log
    shows the restore. Rows deleted with it (a node's suspensions) are restored one by one, parent
    first; a row whose parent is gone is refused."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError) as exc:
        raise NotRestorable(f"no model {label!r}") from exc
    row = model._base_manager.filter(pk=pk).first()
    if row is not None:
        if getattr(row, DELETED_AT, None) is None:
            raise NotRestorable(f"{label} {pk} exists")
        return _soft_restore(model, row)
    history = getattr(model, "history", None)
    if history is None:
        raise NotRestorable(f"{label} keeps no history")
    record = history.filter(**{model._meta.pk.attname: pk}).order_by("-history_id").first()
    if record is None or record.history_type != "-":
        raise NotRestorable(f"no deletion of {label} {pk} is recorded")
    instance = record.instance
    instance._change_reason = "restored"
    try:
        with transaction.atomic():
            instance.save(force_insert=True)
    except IntegrityError as exc:
        raise NotRestorable(f"{label} {pk} refers to a row that is gone: {exc}") from exc
    return instance
