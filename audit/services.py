"""Audit writes outside a request: the retention prune."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.conf import settings
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
