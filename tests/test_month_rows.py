"""The month's plans materialised once per request (reports.month_rows): every grouping, list and
curve read from it equals what the per-query selectors compute, for every role, and nothing is
left behind in the database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from battlemap import selectors as battlemap_selectors
from projects.models import YearPlan
from reports.month_rows import month_rows
from reports.selectors import group_figures, unit_and_region_figures

from . import factories as f
from . import test_dashboard as shared

pytestmark = pytest.mark.django_db
pinned_today, reported, report = shared.pinned_today, shared.reported, shared.report

ROLES = [
    "office",
    "water_user",
    "transport_user",
    "hongan_user",
    "leader_user",
    "viewer",
    "city_office",
    "outsider",
]


@pytest.fixture
def varied(reported):
    """Besides the shared reports: a project in two townships with no leader, one with nothing
    planned, a new project not started, one ahead of schedule and a draft that does not count."""
    w = reported
    second_town = f.township(w.county, "钟灵镇")
    two_towns = f.project(
        region=w.county,
        lead_unit=w.water,
        sector=f.sector("农业"),
        townships=[w.hongan_town, second_town],
        planned="800.00",
        actual_start=dt.date(2020, 2, 1),
    )
    for m in range(2, 10):
        report(two_towns, m, "33.33", by=w.office)
    nothing_planned = f.project(region=w.county, lead_unit=w.transport, sector=w.road.sector, planned="0.00")
    report(nothing_planned, 9, "5.00", by=w.office)
    f.project(region=w.county, lead_unit=w.transport, sector=w.road.sector, stage=YearPlan.Stage.NEW)
    ahead = f.project(
        region=w.county, lead_unit=w.water, sector=w.reservoir.sector, actual_start=dt.date(2020, 1, 1)
    )
    report(ahead, 3, "990.00", by=w.office)
    report(ahead, 9, "10.00", by=w.office, status="draft")
    return w


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("month", [3, 9])
def test_it_groups_the_month_as_the_per_query_selectors_do(varied, who, month):
    user = getattr(varied, who)
    with month_rows(user, year=2020, month=month) as rows:
        for by in ("sector", "unit", "township", "leader", "region"):
            assert rows.group_figures(by) == group_figures(user, year=2020, month=month, by=by), by
        assert rows.unit_and_region_figures() == unit_and_region_figures(user, year=2020, month=month)


@pytest.mark.parametrize("who", ROLES)
def test_it_draws_the_same_curve_and_lists_as_the_per_query_selectors(varied, who):
    user = getattr(varied, who)
    kwargs = {"year": 2020, "month": 9}
    with month_rows(user, **kwargs) as rows:
        assert battlemap_selectors.curve(user, **kwargs, rows=rows) == battlemap_selectors.curve(
            user, **kwargs
        )
        assert battlemap_selectors.lagging(user, **kwargs, rows=rows) == battlemap_selectors.lagging(
            user, **kwargs
        )
        assert battlemap_selectors.not_started(user, **kwargs, rows=rows) == battlemap_selectors.not_started(
            user, **kwargs
        )
        assert (
            battlemap_selectors.lagging(user, **kwargs, size=1, rows=rows)["items"]
            == (battlemap_selectors.lagging(user, **kwargs, size=1)["items"])
        )


def test_it_shows_the_lagging_and_not_started_projects_on_the_dashboard(varied):
    data = battlemap_selectors.dashboard(varied.office, year=2020, month=9)
    lagging = data["lagging"]["items"]
    assert varied.road.name in [p["name"] for p in lagging]
    assert [p["gap_points"] for p in lagging] == sorted(p["gap_points"] for p in lagging)
    assert varied.bridge.name in [p["name"] for p in data["not_started"]["items"]]
    assert data["curve"]["actual_ytd"][8] == data["headline"]["ytd_investment"]


def _temp_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_temp_master WHERE type = 'table'")
        else:
            cursor.execute("SELECT relname FROM pg_class WHERE relpersistence = 't' AND relkind = 'r'")
        return {name for (name,) in cursor.fetchall() if name.startswith("kp_month_rows_")}


def test_it_drops_the_table_after_the_request_and_after_an_error(varied):
    battlemap_selectors.dashboard(varied.office, year=2020, month=9)
    assert _temp_tables() == set()
    with pytest.raises(ZeroDivisionError):
        with month_rows(varied.office, year=2020, month=9) as rows:
            assert _temp_tables() == {rows.table}
            1 / 0  # noqa: B018
    assert _temp_tables() == set()
