"""Background jobs (huey): thin wrappers around the export services."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .export_jobs import export_jobs_clean, ledger_export_run


@db_task()
def run_export(job_id: int) -> None:
    """Write a ledger export that was too large for its request."""
    ledger_export_run(job_id)


@db_periodic_task(crontab(minute="17"))
def clean_exports() -> int:
    """Every hour: remove exports (rows and files) older than a day."""
    return export_jobs_clean()
