"""Large ledger exports as background jobs (exchange.export_jobs, exchange.export_views)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.utils import translation
from openpyxl import load_workbook

from exchange import export_jobs
from exchange.models import ExportJob

from .conftest import login
from .export_helpers import through_job

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def contents(body: bytes) -> dict:
    """What a reader of the file sees: every value, the merged ranges, row heights and print set-up."""
    ws = load_workbook(io.BytesIO(body)).active
    return {
        "values": [[c.value for c in row] for row in ws.iter_rows()],
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "heights": {r: d.height for r, d in ws.row_dimensions.items() if d.height},
        "print": (ws.print_title_rows, ws.print_area, ws.freeze_panes, ws.page_setup.paperSize),
    }


def inline(client, query: str, settings) -> bytes:
    previous, settings.KEYPROJ_EXPORT_INLINE_MAX = settings.KEYPROJ_EXPORT_INLINE_MAX, 10**9
    try:
        response = client.get(f"/projects/export.xlsx?{query}")
    finally:
        settings.KEYPROJ_EXPORT_INLINE_MAX = previous
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.")
    return response.content


def test_it_exports_a_county_ledger_at_once(world):
    response = login(world.office).get("/projects/export.xlsx?year=2020")
    assert response.status_code == 200 and "洪安水库工程" in str(
        [c.value for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for c in row]
    )
    assert not ExportJob.objects.exists()


def test_it_writes_a_large_ledger_in_the_background_and_offers_the_same_file(world, settings):
    settings.KEYPROJ_EXPORT_INLINE_MAX = 2
    client = login(world.office)
    job, page = through_job(client, "year=2020")
    assert job.status == ExportJob.Status.DONE and job.user == world.office
    assert "The file is ready: 6 rows." in page.content.decode()
    assert 'hx-trigger="every 2s"' not in page.content.decode()  # nothing left to poll for
    download = client.get(f"/exchange/exports/{job.pk}/download/")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    body = b"".join(download.streaming_content)
    assert contents(body) == contents(inline(client, "year=2020", settings))
    assert job.file.name.startswith("exports/") and (settings.MEDIA_ROOT / job.file.name).exists()


def test_the_job_keeps_the_users_scope_and_the_page_filters(world, settings):
    settings.KEYPROJ_EXPORT_INLINE_MAX = 0
    client = login(world.water_user)
    job, _page = through_job(client, "year=2020&q=%E6%B4%AA%E5%AE%89")  # q=洪安
    body = b"".join(client.get(f"/exchange/exports/{job.pk}/download/").streaming_content)
    values = str(contents(body)["values"])
    assert "洪安水库工程" in values and "中和至平凯公路改造" not in values and "梅江河大桥" not in values
    assert contents(body) == contents(inline(client, "year=2020&q=%E6%B4%AA%E5%AE%89", settings))


def test_it_shows_the_progress_and_polls_every_two_seconds(world):
    job = ExportJob.objects.create(
        user=world.office,
        query="year=2020",
        status=ExportJob.Status.RUNNING,
        done_rows=4000,
        total_rows=20000,
    )
    client = login(world.office)
    page = client.get(f"/exchange/exports/{job.pk}/").content.decode()
    assert "Exported 4,000 of 20,000 rows" in page and 'hx-trigger="every 2s"' in page
    partial = client.get(f"/exchange/exports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="export-progress"') and "<html" not in partial
    assert 'aria-valuenow="20"' in partial
    assert client.get(f"/exchange/exports/{job.pk}/download/").status_code == 404  # not written yet


def test_the_progress_reads_in_chinese(world, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    job = ExportJob.objects.create(
        user=world.office, query="", status=ExportJob.Status.RUNNING, done_rows=4000, total_rows=20000
    )
    with translation.override("zh-hans"):
        page = login(world.office).get(f"/exchange/exports/{job.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "已导出 4,000 / 20,000 行" in page.content.decode()


def test_only_the_user_who_asked_may_see_or_download_the_file(world, settings):
    settings.KEYPROJ_EXPORT_INLINE_MAX = 0
    job, _page = through_job(login(world.office), "year=2020")
    for other in (world.water_user, world.outsider, world.city_office):
        client = login(other)
        assert client.get(f"/exchange/exports/{job.pk}/").status_code == 404
        assert client.get(f"/exchange/exports/{job.pk}/download/").status_code == 404
    anonymous = login(world.office)
    anonymous.logout()
    assert anonymous.get(f"/exchange/exports/{job.pk}/download/").status_code == 302  # to sign in
    assert login(world.office).get(f"/media/{job.file.name}").status_code == 404  # no public URL


def test_bad_parameters_fall_back_as_on_the_ledger_page(world, settings):
    query = "year=2020&month=99&sector=nope&region=-1&sort=;drop&size=x&lead_unit=9999"
    assert login(world.office).get(f"/projects/?{query}").status_code == 200
    settings.KEYPROJ_EXPORT_INLINE_MAX = 0
    client = login(world.office)
    job, _page = through_job(client, query)
    assert job.status == ExportJob.Status.DONE
    body = b"".join(client.get(f"/exchange/exports/{job.pk}/download/").streaming_content)
    assert contents(body) == contents(inline(client, query, settings))


def test_a_second_click_joins_the_unfinished_job(world, settings):
    settings.KEYPROJ_EXPORT_INLINE_MAX = 0
    running = ExportJob.objects.create(user=world.office, query="year=2020", status=ExportJob.Status.RUNNING)
    response = login(world.office).get("/exchange/exports/ledger/?year=2020")
    assert response["Location"] == f"/exchange/exports/{running.pk}/"
    assert ExportJob.objects.count() == 1


def test_a_failed_export_says_so(world, settings, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(export_jobs, "write_workbook", broken)
    settings.KEYPROJ_EXPORT_INLINE_MAX = 0
    job, page = through_job(login(world.office), "year=2020")
    assert job.status == ExportJob.Status.FAILED and not job.file
    assert "The export failed" in page.content.decode()
    assert not list((settings.MEDIA_ROOT / "exports").glob("*.xlsx"))


def test_the_task_resolves_the_user_again(world):
    job = ExportJob.objects.create(user=world.office, query="year=2020")
    world.office.is_active = False
    world.office.save()
    export_jobs.ledger_export_run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and not job.file


def test_exports_older_than_a_day_are_removed_with_their_files(world, settings):
    settings.KEYPROJ_EXPORT_INLINE_MAX = 0
    client = login(world.office)
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        old, _page = through_job(client, "year=2020")
        path = settings.MEDIA_ROOT / old.file.name
        assert path.exists()
        clock.move_to(dt.datetime(2026, 3, 3, 8, 0, tzinfo=dt.UTC))
        assert export_jobs.export_jobs_clean() == 0  # 23 hours: still offered
        clock.move_to(dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC))
        new, _page = through_job(login(world.office), "year=2020&sort=name")  # cleans up the old one
    assert not path.exists() and not ExportJob.objects.filter(pk=old.pk).exists()
    assert ExportJob.objects.filter(pk=new.pk).exists()
