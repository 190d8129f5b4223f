"""SQLite's planner statistics (lib.planner_statistics): written by the nightly job and after the demo is
loaded, because nothing else writes them and a SQLite database planned without them made a county
office's pages 2.5–4 times slower on the province bench (docs/benchmarks.md, session 10)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection

from lib import planner_statistics
from maintenance.tasks import refresh_planner_statistics
from projects.models import Project, YearPlan

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own statistics table")


def _rows_counted() -> dict[str, int]:
    """Table → the row count sqlite_stat1 holds for it: the first number of each index's line, the
    largest (a partial index's line counts only its own rows)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return {}
        cursor.execute("SELECT tbl, stat FROM sqlite_stat1")
        counted: dict[str, int] = {}
        for table, stat in cursor.fetchall():
            counted[table] = max(counted.get(table, 0), int(stat.split()[0]))
        return counted


@sqlite_only
def test_it_writes_the_statistics_sqlite_plans_from(world):
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    assert _rows_counted() == {}
    assert planner_statistics.refresh() is True
    counted = _rows_counted()
    assert counted["projects_project"] == Project.objects.count() > 0
    assert counted["projects_yearplan"] == YearPlan.objects.count() > 0


@sqlite_only
def test_the_nightly_job_refreshes_them(world):
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    assert refresh_planner_statistics.call_local() is True
    assert _rows_counted()["projects_project"] == Project.objects.count()


@sqlite_only
def test_the_demo_is_planned_with_them():
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    call_command("seed_demo", stdout=io.StringIO())
    assert _rows_counted()["projects_project"] == Project.objects.count() == 108


@pytest.mark.skipif(connection.vendor == "sqlite", reason="PostgreSQL keeps its own (autovacuum)")
def test_postgresql_is_left_to_its_autovacuum(world):
    assert planner_statistics.refresh() is False
    assert refresh_planner_statistics.call_local() is False


def test_the_job_runs_nightly_at_four_after_the_pruning():
    task = refresh_planner_statistics.task_class()
    assert task.validate_datetime(dt.datetime(2020, 10, 11, 4, 0))
    assert not task.validate_datetime(dt.datetime(2020, 10, 11, 3, 45))  # audit's pruning
    assert not task.validate_datetime(dt.datetime(2020, 10, 11, 16, 0))
