"""Scheduled audit housekeeping (huey periodic task): a thin wrapper around audit.services."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import audit_prune


@db_periodic_task(crontab(hour="3", minute="45"))
def prune_audit() -> int:
    """Every night at 03:45: delete the audit trail older than KEYPROJ_AUDIT_DAYS days."""
    return audit_prune()
