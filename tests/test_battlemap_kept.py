"""The battle map's reads by a page's ids are compiled once and run again from their SQL
(battlemap.kept): what they read is what the queryset reads, on every database, and always afresh."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from battlemap import kept
from battlemap.wallchart import PROJECT_COLUMNS
from blockers.models import Blocker
from projects.models import Project

from .conftest import login
from .report_builders import started_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]

WALL = "/api/v1/wallchart?year=2020&month=9&by=unit"


@pytest.fixture(autouse=True)
def nothing_kept():
    kept.forget()
    yield
    kept.forget()


def test_kept_rows_are_the_querysets_rows_read_afresh(world):
    ids = sorted(Project.objects.values_list("pk", flat=True))

    def build():
        return Project.objects.filter(pk__in=ids).values_list(*PROJECT_COLUMNS).order_by("pk")

    assert kept.rows(Project, ("test projects", tuple(ids)), build) == list(build())
    world.road.actual_start = dt.date(2020, 4, 2)
    world.road.save()

    def compiled_again():
        raise AssertionError("the kept statement was compiled again")

    again = kept.rows(Project, ("test projects", tuple(ids)), compiled_again)
    assert again == list(build())
    starts = {row[0]: row[PROJECT_COLUMNS.index("actual_start")] for row in again}
    assert starts[world.road.pk] == dt.date(2020, 4, 2)  # a date on SQLite too (the converters ran)


def test_no_ids_read_nothing_and_ask_the_database_nothing(world):
    with CaptureQueriesContext(connection) as ctx:
        found = kept.rows(
            Project, ("test none", ()), lambda: Project.objects.filter(pk__in=[]).values_list("pk")
        )
    assert found == []
    assert len(ctx.captured_queries) == 0


def test_the_wall_chart_kept_shows_what_it_shows_compiled_afresh(world):
    client = login(world.office)
    started_report(world.road, 8, "120.00", by=world.office)
    first = client.get(WALL).json()
    with CaptureQueriesContext(connection) as fresh:
        kept.forget()
        assert client.get(WALL).json() == first
    with CaptureQueriesContext(connection) as again:
        assert client.get(WALL).json() == first
    assert len(again.captured_queries) == len(fresh.captured_queries)

    # New data is read by the kept statements: a report and an open blocker of the same rows.
    started_report(world.road, 9, "30.00", by=world.office)
    Blocker.objects.create(
        project=world.road,
        kind="land",
        description="征地拆迁未完成",
        lead_unit=world.road.lead_unit,
        raised_at=dt.datetime(2020, 5, 1, tzinfo=dt.UTC),
    )
    changed = client.get(WALL).json()
    kept.forget()
    assert client.get(WALL).json() == changed
    road = next(r for g in changed["groups"] for r in g["rows"] if r["id"] == world.road.pk)
    assert [m["actual"] for m in road["months"]][7:9] == ["120.00", "30.00"]
    assert road["blockers_open"] == 1


def test_the_dashboard_kept_shows_what_it_shows_compiled_afresh(world):
    client = login(world.office)
    first = client.get("/api/v1/dashboard?year=2020&month=9").json()
    kept.forget()
    assert client.get("/api/v1/dashboard?year=2020&month=9").json() == first
