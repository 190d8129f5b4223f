"""The wall chart's reads by a page's ids are compiled once (and bound once on PostgreSQL) by
battlemap.wall_kept: what they read is what the queryset reads, on every database, and always afresh."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from battlemap import wall_kept
from battlemap.wallchart import PROJECT_COLUMNS
from milestones.models import Milestone
from projects.models import Project

from .conftest import login
from .report_builders import started_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]

WALL = "/api/v1/wallchart?year=2020&month=9"


@pytest.fixture(autouse=True)
def nothing_kept():
    wall_kept.forget()
    yield
    wall_kept.forget()


def test_kept_rows_are_the_querysets_rows_read_afresh(world):
    ids = sorted(Project.objects.values_list("pk", flat=True))

    def build():
        return Project.objects.filter(pk__in=ids).values_list(*PROJECT_COLUMNS).order_by("pk")

    assert wall_kept.rows(Project, ("test projects", tuple(ids)), build) == list(build())
    world.road.actual_start = dt.date(2020, 4, 2)
    world.road.name = "100% 'quoted' %s 工程"  # percent signs and quotes in the bound text's rows
    world.road.save()

    def compiled_again():
        raise AssertionError("the kept statement was compiled again")

    again = wall_kept.rows(Project, ("test projects", tuple(ids)), compiled_again)
    assert again == list(build())
    starts = {row[0]: row[PROJECT_COLUMNS.index("actual_start")] for row in again}
    assert starts[world.road.pk] == dt.date(2020, 4, 2)  # a date on SQLite too (the converters ran)


def test_a_bound_text_parameter_reads_as_the_queryset_does(world):
    world.road.name = "100% 'quoted' %s 工程"
    world.road.save()

    def build():
        return Project.objects.filter(name=world.road.name).values_list("pk", "name")

    assert wall_kept.rows(Project, ("test name", world.road.name), build) == [
        (world.road.pk, world.road.name)
    ]
    assert wall_kept.rows(Project, ("test name", world.road.name), build) == list(build())


def test_no_ids_read_nothing_and_ask_the_database_nothing(world):
    with CaptureQueriesContext(connection) as ctx:
        found = wall_kept.rows(
            Project, ("test none", ()), lambda: Project.objects.filter(pk__in=[]).values_list("pk")
        )
    assert found == []
    assert len(ctx.captured_queries) == 0


def test_the_wall_chart_kept_shows_what_it_shows_compiled_afresh(world):
    client = login(world.office)
    started_report(world.road, 8, "120.00", by=world.office)
    Milestone.objects.create(
        project=world.road, year=2020, name="主体完工", planned_date=dt.date(2020, 6, 30)
    )
    first = client.get(WALL).json()
    html = client.get("/battlemap/wall/?year=2020&month=9").content
    with CaptureQueriesContext(connection) as fresh:
        wall_kept.forget()
        assert client.get(WALL).json() == first
    with CaptureQueriesContext(connection) as again:
        assert client.get(WALL).json() == first
    assert len(again.captured_queries) == len(fresh.captured_queries)
    wall_kept.forget()
    assert client.get("/battlemap/wall/?year=2020&month=9").content.count(b"milestone_slipped") == html.count(
        b"milestone_slipped"
    )

    # New data is read by the kept statements: a report and a milestone reached.
    started_report(world.road, 9, "30.00", by=world.office)
    Milestone.objects.filter(project=world.road).update(actual_date=dt.date(2020, 7, 3))
    changed = client.get(WALL).json()
    wall_kept.forget()
    assert client.get(WALL).json() == changed
    road = next(r for g in changed["groups"] for r in g["rows"] if r["id"] == world.road.pk)
    assert [m["actual"] for m in road["months"]][7:9] == ["120.00", "30.00"]
    page = client.get("/battlemap/wall/?year=2020&month=9").content.decode()
    assert "milestone_done" in page
