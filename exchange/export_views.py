"""The background ledger export: start it, watch its progress, download the file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from projects.exports import XLSX
from reports.ledger import filtered_ledger

from . import tasks
from .export_jobs import ledger_export_job
from .models import ExportJob


def get_export_for_user(request: HttpRequest, pk: int) -> ExportJob:
    """The export if this user asked for it; 404 for everyone else, so others' files do not exist."""
    return get_object_or_404(ExportJob.objects.select_related("user"), pk=pk, user=request.user)


@login_required
def ledger_export_start(request: HttpRequest) -> HttpResponse:
    """Queue the ledger export the query string selects (the ledger page's own filters) and show it.

    The filters are read here as the ledger page reads them, so a bad parameter falls back the same
    way (a default year, a filter ignored) instead of failing in the worker.
    """
    ledger, _year, _sort = filtered_ledger(request)
    job, new = ledger_export_job(user=request.user, query=request.GET.urlencode(), rows=ledger.qs.count())
    if new:
        # No transaction is open in a view (no ATOMIC_REQUESTS): the worker finds the row committed.
        tasks.run_export(job.pk)
    return redirect("exchange:export", pk=job.pk)


@login_required
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The export's page; htmx polls it for the progress partial until the file is written."""
    job = get_export_for_user(request, pk)
    percent = min(100, 100 * job.done_rows // job.total_rows) if job.total_rows else 0
    template = "exchange/_export_progress.html" if request.htmx else "exchange/export.html"
    # Grouped with commas in both languages, as the ledger writes its amounts ("20,000" rows).
    rows = {"done": f"{job.done_rows:,}", "total": f"{job.total_rows:,}"}
    return render(request, template, {"job": job, "percent": percent, "rows": rows})


@login_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = get_export_for_user(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404("The export is not written yet.")
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404("The export's file was removed.")
    return FileResponse(handle, as_attachment=True, filename=job.filename, content_type=XLSX)
