"""Background jobs (huey): thin wrappers around services."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from lib.today import today

from .reminders import send_reminders


@db_periodic_task(crontab(hour="8", minute="0"))
def daily_reminders() -> int:
    """Every morning at 08:00: reports due, tasks and blockers near or past their deadline."""
    return send_reminders(on=today())
