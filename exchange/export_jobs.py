"""Ledger exports too large for a request: started by the ledger's export link, written by huey.

A province's ledger (20,000 rows) takes seconds to write; a county's (a few hundred) a fraction of
one. Above settings.KEYPROJ_EXPORT_INLINE_MAX rows the export becomes a job: the page polls its
progress and offers the file when it is written. The job stores the ledger page's query string and
the user; the task resolves the user again and filters through the ledger page's own code
(reports.ledger.filtered_ledger), so the file holds exactly what that user would have got inline.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.http import HttpRequest, QueryDict
from django.utils import timezone

from accounts.models import User
from lib.xlsx import write_workbook
from projects.exports import ledger_filename, ledger_sheet
from reports.ledger import filtered_ledger

from .models import ExportJob

log = logging.getLogger(__name__)
KEEP = dt.timedelta(days=1)  # an export is a snapshot for the day; older files are removed
REUSE = dt.timedelta(minutes=30)  # a second click on the link joins the job still running


def ledger_request(user: User, query: str) -> HttpRequest:
    """A request as the ledger page would receive it: the user and the page's query string."""
    request = HttpRequest()
    request.method = "GET"
    request.GET = QueryDict(query)
    request.user = user
    return request


def ledger_export_job(*, user: User, query: str, rows: int) -> tuple[ExportJob, bool]:
    """The job writing the ledger `query` selects for `user`, and whether it is new (to be queued).

    The same request's unfinished job is returned instead of a new one: a double click or a reload
    must not write the province twice. Old jobs are cleaned here too, not only hourly.
    """
    export_jobs_clean()
    running = (
        ExportJob.objects.filter(user=user, query=query, created__gte=timezone.now() - REUSE)
        .exclude(status__in=[ExportJob.Status.DONE, ExportJob.Status.FAILED])
        .first()
    )
    if running:
        return running, False
    return ExportJob.objects.create(user=user, query=query, total_rows=rows), True


def ledger_export_run(job_id: int) -> None:
    """Write the job's file, recording progress; a failure is recorded on the job, not raised."""
    job = ExportJob.objects.select_related("user__region").get(pk=job_id)
    if job.status != ExportJob.Status.PENDING:
        return  # a retried or duplicated task: the first run owns the job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING)
    try:
        user = User.objects.select_related("region").get(pk=job.user_id, is_active=True)
        ledger, year, _sort = filtered_ledger(ledger_request(user, job.query))
        sheet = ledger_sheet(ledger.qs_sorted, year=year, region=user.region)
        ExportJob.objects.filter(pk=job.pk).update(total_rows=len(sheet.rows))

        def progress(done: int, total: int) -> None:
            ExportJob.objects.filter(pk=job.pk).update(done_rows=done, total_rows=total)

        # Written to a scratch file, then stored whole (MEDIA_ROOT or the object store, docs/scale-out.md);
        # the job names its file only once it is done, so a half-written file is never offered.
        with tempfile.TemporaryDirectory() as scratch:
            partial = Path(scratch) / "export.xlsx"
            write_workbook([sheet], partial, progress=progress)
            with partial.open("rb") as handle:
                name = default_storage.save(f"exports/{job.pk}-{os.urandom(8).hex()}.xlsx", File(handle))
    except Exception:
        log.exception("ledger export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, finished=timezone.now())
        return
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE,
        file=name,
        filename=ledger_filename(user.region, year),
        finished=timezone.now(),
    )


def export_jobs_clean(*, now: dt.datetime | None = None) -> int:
    """Remove the jobs and files older than a day; how many jobs were removed."""
    old = ExportJob.objects.filter(created__lt=(now or timezone.now()) - KEEP)
    count = 0
    for job in old:
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count
