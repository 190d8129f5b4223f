"""The wall chart's month cells judged by each project's own year setting (the schedule targets and
yellow threshold are computed once per setting for a page, not per cell), and the page's queries the
same in number for a few rows as for many."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blockers.models import Blocker
from projects.models import PlanMonth

from . import factories as f
from .conftest import login
from .report_builders import started_report, year_setting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def two_counties(world):
    """The road (秀山, 2,000 planned) and the water works (酉阳, 1,000) each 5 % a month behind the
    linear schedule's 8.33 %: 3.33 points more behind every month. 秀山's yellow threshold is 15
    points, 酉阳 keeps the default 10."""
    for project in (world.road, world.far):
        project.actual_start = dt.date(2019, 5, 1)
        project.save()
    for m in range(1, 10):
        started_report(world.road, m, "100.00", by=world.office)
        started_report(world.far, m, "50.00", by=world.outsider)
    year_setting(world.county, yellow_threshold=Decimal(15))
    return world


def _red_months(response) -> dict[str, list[int]]:
    return {
        row.project.name: [c.month for c in row.cells if c.behind]
        for group in response.context["groups"]
        for row in group.rows
    }


def test_each_row_is_judged_by_its_own_countys_threshold(two_counties):
    city = login(two_counties.city_office).get("/battlemap/wall/?year=2020&month=9")
    red = _red_months(city)
    # 秀山: red once more than 15 points behind (May: 25 % against 41.67 %); 酉阳: beyond 10 (April).
    assert red["中和至平凯公路改造"] == [5, 6, 7, 8, 9]
    assert red["酉阳水厂"] == [4, 5, 6, 7, 8, 9]
    county = login(two_counties.office).get("/battlemap/wall/?year=2020&month=9")
    assert _red_months(county)["中和至平凯公路改造"] == [5, 6, 7, 8, 9]
    api = login(two_counties.city_office).get("/api/v1/wallchart?year=2020&month=9").json()
    by_name = {r["name"]: r for g in api["groups"] for r in g["rows"]}
    assert [m["month"] for m in by_name["酉阳水厂"]["months"] if m["behind"]] == [4, 5, 6, 7, 8, 9]


def test_a_monthly_plan_replaces_the_schedule_for_its_row_only(two_counties):
    plan = two_counties.road.plans.get(year=2020)
    for m in range(1, 13):
        PlanMonth.objects.create(plan=plan, month=m, amount=Decimal("100.00"))  # exactly what was done
    red = _red_months(login(two_counties.city_office).get("/battlemap/wall/?year=2020&month=9"))
    assert red["中和至平凯公路改造"] == []
    assert red["酉阳水厂"] == [4, 5, 6, 7, 8, 9]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_same_number_of_queries_for_a_few_rows_as_for_many(world):
    counts = []
    for rows in (3, 40):
        for _ in range(rows):
            p = f.project(
                region=world.county,
                lead_unit=world.water,
                sector=world.reservoir.sector,
                actual_start=dt.date(2019, 1, 1),
            )
            started_report(p, 9, "10.00", by=world.office)
            PlanMonth.objects.create(plan=p.plans.get(), month=9, amount=Decimal("20.00"))
            Blocker.objects.create(project=p, kind="funds", description="资金未到位", lead_unit=world.water)
        client = login(world.office)
        _queries(client, "/battlemap/wall/?year=2020&month=9")  # the first request of a session
        counts.append(
            (
                _queries(client, "/battlemap/wall/?year=2020&month=9"),
                _queries(client, "/battlemap/wall/?year=2020&month=9&by=unit"),
                _queries(client, "/api/v1/wallchart?year=2020&month=9"),
            )
        )
    assert counts[0] == counts[1]
