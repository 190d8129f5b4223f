"""Scheduled API housekeeping (huey periodic tasks): thin wrappers around api.services."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import api_calls_prune


@db_periodic_task(crontab(hour="3", minute="30"))
def prune_api_calls() -> int:
    """Every night at 03:30: delete the API calls older than KEYPROJ_API_LOG_DAYS days."""
    return api_calls_prune()
