"""Scheduled cadence documents (huey periodic tasks): thin wrappers around cadence.jobs."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from lib.today import today

from . import jobs
from .reminders import send_reminders


@db_periodic_task(crontab(hour="8", minute="0"))
def daily_reminders() -> int:
    """Every morning at 08:00: reports due, tasks and blockers near or past their deadline."""
    return send_reminders(on=today())


@db_periodic_task(crontab(day_of_week="5", hour="16", minute="0"))
def weekly_summary() -> int:
    """Friday 16:00: the week's summary for every county."""
    return len(jobs.weekly(on=today()))


@db_periodic_task(crontab(hour="9", minute="0"))
def monthly_study_pack() -> int:
    """Daily 09:00; acts on the day after the monthly report deadline (see jobs.monthly)."""
    return len(jobs.monthly(on=today()))


@db_periodic_task(crontab(month="1,4,7,10", day="10", hour="9", minute="30"))
def quarterly_dispatch() -> int:
    """The 10th of the month after each quarter (after the quarter's last reports are in)."""
    return len(jobs.quarterly(on=today()))
