"""The month's table and the reporting status stay small and fast at province scale: paged, counted by
the database, a fixed number of queries whatever the number of projects or units."""

from __future__ import annotations

import pytest

from . import factories as f
from .conftest import login
from .report_builders import report, started

pytestmark = pytest.mark.django_db


def many_units_with_projects(world, units: int) -> None:
    for i in range(units):
        unit = f.unit(world.county, f"测试单位{i:03d}")
        project = f.project(region=world.county, lead_unit=unit, sector=world.reservoir.sector)
        if i % 2:
            started(project)
            report(project, 9, "10.00", status="submitted")


def test_it_pages_the_months_table(world):
    from reports.views import MONTHLY_PAGE_SIZE

    for _ in range(MONTHLY_PAGE_SIZE + 5):
        f.project(region=world.county, lead_unit=world.water, sector=world.reservoir.sector)
    client = login(world.office)
    first = client.get("/reports/?year=2020&month=9")
    assert len(first.context["rows"]) == MONTHLY_PAGE_SIZE
    assert first.context["page"].paginator.count == MONTHLY_PAGE_SIZE + 8
    second = client.get("/reports/?year=2020&month=9&page=2")
    assert len(second.context["rows"]) == 8
    assert "page=2" in first.content.decode()


def test_it_pages_the_reporting_status_by_unit_and_keeps_the_totals(world):
    many_units_with_projects(world, 60)
    response = login(world.office).get("/reports/status/?year=2020&month=9")
    assert len(response.context["units"]) == 50
    # Three fixture projects and the 30 units without a report this month have not reported.
    assert response.context["missing_total"] == 33
    first = response.context["units"][0]
    assert first["missing"] and first["unit"].name == first["name"]


@pytest.mark.parametrize("units", [5, 60])
def test_it_shows_the_reporting_status_in_a_fixed_number_of_queries(
    world, django_assert_max_num_queries, units
):
    many_units_with_projects(world, units)
    client = login(world.office)
    with django_assert_max_num_queries(14):
        response = client.get("/reports/status/?year=2020&month=9")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 40])
def test_it_shows_the_not_started_board_in_a_fixed_number_of_queries(
    world, django_assert_max_num_queries, count
):
    for _ in range(count):
        f.project(region=world.county, lead_unit=world.water, sector=world.reservoir.sector, stage="new")
    for who in (world.office, world.water_user):
        client = login(who)
        # 16 for the board, up to 4 for what each project lacks to start (approvals.readiness.missing: the
        # nodes, the plans, the land and its months), read once for the page whatever the row count.
        with django_assert_max_num_queries(20):
            response = client.get("/reports/not-started/?year=2020&month=9")
        rows = response.context["rows"]
        assert rows and all(
            r.can_commit == (who.is_office or r.project.lead_unit_id == who.unit_id) for r in rows
        )


def test_it_pages_the_unit_ranking_with_the_lowest_ranks_one_click_away(world):
    from reports.board_views import UNITS_PAGE_SIZE

    many_units_with_projects(world, UNITS_PAGE_SIZE + 10)
    client = login(world.office)
    first = client.get("/reports/units/?year=2020&month=9")
    pages = first.context["page"].paginator.num_pages
    assert len(first.context["ranked"]) == UNITS_PAGE_SIZE and pages == 2
    assert 'aria-label="Last page"' not in first.content.decode()  # page 2 is the next page already
    last = client.get(f"/reports/units/?year=2020&month=9&page={pages}")
    body = last.content.decode()
    ranks = [f.rate for f in first.context["ranked"]] + [f.rate for f in last.context["ranked"]]
    assert len(ranks) == UNITS_PAGE_SIZE + 12  # the fixture's two units too: nobody is cut off
    # The last place is numbered as ties share it (1, 2, 2, 4): one more than the groups ahead of it.
    ranked = [g for g in [*first.context["ranked"], *last.context["ranked"]] if g.rank is not None]
    worst = ranked[-1]
    assert worst.rank == 1 + sum(1 for g in ranked if g.rate > worst.rate)
    assert f"<td>{worst.rank}</td>" in body


def test_the_board_heading_counts_every_project_not_started_not_the_page(world):
    for _ in range(101):
        f.project(region=world.county, lead_unit=world.water, sector=world.reservoir.sector)
    response = login(world.office).get("/reports/not-started/?year=2020&month=9")
    assert len(response.context["rows"]) == 100
    assert response.context["page"].paginator.count == 104  # 101 + the county's three
    assert "104" in response.content.decode().split("<h1>")[1].split("</h1>")[0]
