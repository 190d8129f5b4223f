"""Following a background export to its job page, as the browser does (shared by the export tests)."""

from __future__ import annotations

from exchange.models import ExportJob


def through_job(client, query: str):
    """Follow the export link to the job's page (huey runs the task at once in tests)."""
    response = client.get(f"/projects/export.xlsx?{query}")
    assert response.status_code == 302 and response["Location"].startswith("/exchange/exports/ledger/")
    response = client.get(response["Location"])
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    return ExportJob.objects.get(pk=page.context["job"].pk), page
