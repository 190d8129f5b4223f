"""A county's grouped figures are read from the county's projects, however many the other counties
hold: SQLite must not choose to read every project in the order of the grouping key's index (the
lead unit's, the leader's) to spare itself the grouping's sort (reports.figures._group_rows). On the
bench, 20,000 projects, the county's unit ranking took 6 ms that way against 0.6 from its region."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Leader, Project, YearPlan
from regions.models import Unit
from reports.figures import forget_statements, month_plans

from . import factories as f

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("pinned_today"),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner"),
]

COUNTIES, UNITS_EACH, LEADERS_EACH, PROJECTS_EACH = 30, 40, 8, 80
YEARS = range(2016, 2021)  # a plan a year, as the bench has


def _elsewhere(world) -> None:
    """Other counties of the city, each with its own units and many projects, and statistics."""
    sector = world.far.sector
    for c in range(COUNTIES):
        county = f.region(f"另一县{c}", f"5003{c:02d}", "county", world.city)
        units = Unit.objects.bulk_create(Unit(region=county, name=f"单位{c}-{u}") for u in range(UNITS_EACH))
        leaders = Leader.objects.bulk_create(
            Leader(region=county, title=f"副县长{c}-{n}") for n in range(LEADERS_EACH)
        )
        projects = Project.objects.bulk_create(
            Project(
                region=county,
                code=f"E{c:02d}{p:03d}",
                name=f"项目{c}-{p}",
                sector=sector,
                content="建设内容",
                lead_unit=units[p % UNITS_EACH],
                leader=leaders[p % LEADERS_EACH],
                total_investment=Decimal("100.00"),
            )
            for p in range(PROJECTS_EACH)
        )
        YearPlan.objects.bulk_create(
            YearPlan(project=p, year=year, planned_investment=Decimal("10.00"))
            for p in projects
            for year in YEARS
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _plan(user, by: str) -> list[str]:
    forget_statements()
    with CaptureQueriesContext(connection) as ctx:
        month_plans(user, year=2020, month=9).figures_by(by)
    [grouped] = [q["sql"] for q in ctx.captured_queries if "GROUP BY" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {grouped}")
        return [row[3] for row in cursor.fetchall()]


@pytest.mark.parametrize("by", ["unit", "leader", "sector", "township", "region"])
def test_it_reads_a_countys_groups_from_its_own_projects(world, by):
    _elsewhere(world)
    plan = _plan(world.office, by)
    # Every project or every plan of the year in the city read (a SCAN of the table or of one of
    # its indexes, a search on the year alone) is what went wrong; the county's projects are found
    # by their region.
    city_wide = [
        step
        for step in plan
        if step.startswith(("SCAN projects_project", "SCAN projects_yearplan")) or step.endswith("(year=?)")
    ]
    assert not city_wide, plan
    assert any(step.startswith("SEARCH projects_project USING") and "region_id=?" in step for step in plan), (
        plan
    )
