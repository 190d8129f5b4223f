"""Audit writes outside a request: the retention prune, and bringing back a deleted row."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

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


def deleted_restore(*, label: str, pk: int) -> models.Model:
    """Bring back a row a user deleted (approval nodes, pool applications, list entries, milestones,
    meetings, …: every model with history) as it was when deleted, with its id, from its newest
    historical record (a '-' row: who deleted it and when stay in the trail). The restore is a new
    version by "system" with the reason "restored", so the audit log shows it too. Rows deleted with
    it (a node's suspensions) have records of their own and are restored one by one; a row whose
    parent is gone is refused."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError) as exc:
        raise NotRestorable(f"no model {label!r}") from exc
    history = getattr(model, "history", None)
    if history is None:
        raise NotRestorable(f"{label} keeps no history")
    if model._base_manager.filter(pk=pk).exists():
        raise NotRestorable(f"{label} {pk} exists")
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
