"""The not-started board, the blocker register and the unit ranking issue as many queries for a few
rows as for many: each page's projects, commitments, blockers, cooperating units and what each
project lacks are read once for the page, never once a row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.services import commit_start

from . import factories as f
from .blocker_builders import raise_blocker
from .conftest import login
from .report_builders import report, started

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


def queries(client, path: str) -> int:
    client.get(path)  # the year settings and the like are read once a process
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def not_started_world(world, count: int) -> None:
    """`count` new projects not started, each with two commitments (one slip), an open blocker
    with cooperating units and a resolved one."""
    for i in range(count):
        p = f.project(region=world.county, lead_unit=world.water, sector=world.reservoir.sector, stage="new")
        commit_start(project=p, date=dt.date(2020, 10, 20), by=world.office)
        commit_start(project=p, date=dt.date(2020, 11, 20), by=world.office, source="县长办公会")
        raise_blocker(p, deadline=dt.date(2020, 10, 1) if i % 2 else None).cooperating_units.set(
            [world.water, world.transport]
        )
        resolved = raise_blocker(p, kind="funds")
        resolved.status = resolved.Status.RESOLVED
        resolved.save()


@pytest.mark.parametrize("path", ["/reports/not-started/?year=2020&month=9", "/blockers/"])
def test_the_board_and_the_register_read_as_much_for_many_rows_as_for_few(world, path):
    counted = {}
    for who in (world.office, world.water_user):
        not_started_world(world, 3 if who is world.office else 0)
        counted[who.username, "few"] = queries(login(who), path)
    not_started_world(world, 40)
    for who in (world.office, world.water_user):
        counted[who.username, "many"] = queries(login(who), path)
    for who in (world.office, world.water_user):
        assert counted[who.username, "few"] == counted[who.username, "many"], counted


def units_with_projects(world, numbers: range) -> None:
    """A unit per number, each leading a project; every other one started and reported on."""
    for i in numbers:
        unit = f.unit(world.county, f"测试单位{i:03d}")
        project = f.project(region=world.county, lead_unit=unit, sector=world.reservoir.sector)
        if i % 2:
            started(project)
            report(project, 9, "10.00", status="submitted")


def test_the_unit_ranking_reads_as_much_for_many_units_as_for_few(world):
    client = login(world.office)
    units_with_projects(world, range(5))
    few = queries(client, "/reports/units/?year=2020&month=9")
    units_with_projects(world, range(5, 65))
    assert queries(client, "/reports/units/?year=2020&month=9") == few
