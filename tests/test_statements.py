"""Reads compiled once per process and run again from their SQL (lib.statements: rows, by_ids), bound
once on PostgreSQL: what they read is what the queryset reads, on every database, and always afresh."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from battlemap.wallchart import PROJECT_COLUMNS
from blockers.models import Blocker
from lib import statements
from milestones.models import Milestone
from projects.models import Project

from .conftest import login
from .report_builders import started_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]

WALL = "/api/v1/wallchart?year=2020&month=9"
WALL_BY_UNIT = WALL + "&by=unit"


@pytest.fixture(autouse=True)
def nothing_kept():
    statements.forget()
    yield
    statements.forget()


def test_kept_rows_are_the_querysets_rows_read_afresh(world):
    ids = sorted(Project.objects.values_list("pk", flat=True))

    def build():
        return Project.objects.filter(pk__in=ids).values_list(*PROJECT_COLUMNS).order_by("pk")

    assert statements.rows(Project, ("test projects", tuple(ids)), build) == list(build())
    world.road.actual_start = dt.date(2020, 4, 2)
    world.road.name = "100% 'quoted' %s 工程"  # percent signs and quotes in the bound text's rows
    world.road.save()

    def compiled_again():
        raise AssertionError("the kept statement was compiled again")

    again = statements.rows(Project, ("test projects", tuple(ids)), compiled_again)
    assert again == list(build())
    starts = {row[0]: row[PROJECT_COLUMNS.index("actual_start")] for row in again}
    assert starts[world.road.pk] == dt.date(2020, 4, 2)  # a date on SQLite too (the converters ran)


def test_a_bound_text_parameter_reads_as_the_queryset_does(world):
    world.road.name = "100% 'quoted' %s 工程"
    world.road.save()

    def build():
        return Project.objects.filter(name=world.road.name).values_list("pk", "name")

    assert statements.rows(Project, ("test name", world.road.name), build) == [
        (world.road.pk, world.road.name)
    ]
    assert statements.rows(Project, ("test name", world.road.name), build) == list(build())


def test_no_ids_read_nothing_and_ask_the_database_nothing(world):
    with CaptureQueriesContext(connection) as ctx:
        found = statements.rows(
            Project, ("test none", ()), lambda: Project.objects.filter(pk__in=[]).values_list("pk")
        )
    assert found == []
    assert len(ctx.captured_queries) == 0


def test_by_ids_reads_what_the_queryset_reads_for_any_ids(world):
    world.road.name = "100% 'quoted' %s 工程"  # percent signs and quotes beside the ids' slot
    world.road.save()
    ids = sorted(Project.objects.values_list("pk", flat=True))

    def build(stand_in):
        return (
            Project.objects.filter(pk__in=stand_in)
            .exclude(name="无此项目 100%")
            .values_list("pk", "name", "actual_start")
            .order_by("pk")
        )

    assert statements.by_ids(Project, ("test by ids",), ids, build) == list(build(ids))

    def compiled_again(stand_in):
        raise AssertionError("the kept statement was compiled again")

    some = ids[:2]
    assert statements.by_ids(Project, ("test by ids",), some, compiled_again) == list(build(some))
    assert statements.by_ids(Project, ("test by ids",), [], compiled_again) == []


def test_a_rows_key_and_a_by_ids_key_never_meet(world):
    ids = sorted(Project.objects.values_list("pk", flat=True))
    key = ("test same key",)
    assert statements.rows(Project, key, lambda: Project.objects.values_list("pk").order_by("pk")) == [
        (pk,) for pk in ids
    ]
    found = statements.by_ids(
        Project, key, ids[:1], lambda stand_in: Project.objects.filter(pk__in=stand_in).values_list("name")
    )
    assert found == [(Project.objects.get(pk=ids[0]).name,)]


def test_the_wall_chart_kept_shows_what_it_shows_compiled_afresh(world):
    client = login(world.office)
    started_report(world.road, 8, "120.00", by=world.office)
    Milestone.objects.create(
        project=world.road, year=2020, name="主体完工", planned_date=dt.date(2020, 6, 30)
    )
    first = client.get(WALL).json()
    html = client.get("/battlemap/wall/?year=2020&month=9").content
    with CaptureQueriesContext(connection) as fresh:
        statements.forget()
        assert client.get(WALL).json() == first
    with CaptureQueriesContext(connection) as again:
        assert client.get(WALL).json() == first
    assert len(again.captured_queries) == len(fresh.captured_queries)
    statements.forget()
    assert client.get("/battlemap/wall/?year=2020&month=9").content.count(b"milestone_slipped") == html.count(
        b"milestone_slipped"
    )

    # New data is read by the kept statements: a report and a milestone reached.
    started_report(world.road, 9, "30.00", by=world.office)
    Milestone.objects.filter(project=world.road).update(actual_date=dt.date(2020, 7, 3))
    changed = client.get(WALL).json()
    statements.forget()
    assert client.get(WALL).json() == changed
    road = next(r for g in changed["groups"] for r in g["rows"] if r["id"] == world.road.pk)
    assert [m["actual"] for m in road["months"]][7:9] == ["120.00", "30.00"]
    page = client.get("/battlemap/wall/?year=2020&month=9").content.decode()
    assert "milestone_done" in page


def test_the_wall_by_unit_kept_counts_a_new_open_blocker(world):
    client = login(world.office)
    started_report(world.road, 8, "120.00", by=world.office)
    first = client.get(WALL_BY_UNIT).json()
    with CaptureQueriesContext(connection) as fresh:
        statements.forget()
        assert client.get(WALL_BY_UNIT).json() == first
    with CaptureQueriesContext(connection) as again:
        assert client.get(WALL_BY_UNIT).json() == first
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
    changed = client.get(WALL_BY_UNIT).json()
    statements.forget()
    assert client.get(WALL_BY_UNIT).json() == changed
    road = next(r for g in changed["groups"] for r in g["rows"] if r["id"] == world.road.pk)
    assert [m["actual"] for m in road["months"]][7:9] == ["120.00", "30.00"]
    assert road["blockers_open"] == 1


def test_the_dashboard_kept_shows_what_it_shows_compiled_afresh(world):
    client = login(world.office)
    first = client.get("/api/v1/dashboard?year=2020&month=9").json()
    statements.forget()
    assert client.get("/api/v1/dashboard?year=2020&month=9").json() == first


def test_by_ids_leaves_out_an_id_no_column_can_hold(world):
    def build(stand_in):
        return Project.objects.filter(pk__in=stand_in).values_list("pk")

    huge = 9999999999999999999999999
    assert statements.by_ids(Project, ("test huge",), [huge], build) == []
    assert statements.by_ids(Project, ("test huge",), [huge, world.road.pk], build) == [(world.road.pk,)]


@pytest.mark.django_db(transaction=True)
def test_a_kept_locking_read_is_refused_outside_a_transaction_every_time(world):
    """Django refuses select_for_update outside a transaction only when it compiles it: a kept one is
    refused on every call, not only the first (reports.services' and reports.months' locks)."""
    from django.db import transaction
    from django.db.transaction import TransactionManagementError

    from projects.models import Project

    statements.forget()

    def locked() -> list:
        return statements.by_ids(
            Project,
            ("test lock",),
            [world.road.pk],
            lambda ids: Project.objects.select_for_update().filter(pk__in=ids).values_list("pk"),
            locking=True,
        )

    with pytest.raises(TransactionManagementError):
        locked()
    with transaction.atomic():
        assert locked() == [(world.road.pk,)]
    with pytest.raises(TransactionManagementError):
        locked()
