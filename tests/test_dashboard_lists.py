"""The dashboard reads both short lists' projects in one query: its lagging and not-started lists are
the ones lagging() and not_started() give alone, and its queries are as many for a few projects as
for many."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from battlemap import selectors

from . import factories as f
from .conftest import login
from .report_builders import started_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


def test_the_short_lists_are_what_each_gives_alone(reported):
    for user in (reported.office, reported.water_user, reported.leader_user, reported.city_office):
        for month in (4, 9):
            data = selectors.dashboard(user, year=2020, month=month)
            assert data["lagging"] == selectors.lagging(user, year=2020, month=month)
            assert data["not_started"] == selectors.not_started(user, year=2020, month=month)
    data = selectors.dashboard(reported.office, year=2020, month=9)
    assert [p["name"] for p in data["lagging"]["items"]] == ["中和至平凯公路改造"]
    assert [p["name"] for p in data["not_started"]["items"]] == [reported.bridge.name]
    assert all(p["reason"] for p in data["lagging"]["items"] + data["not_started"]["items"])


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_same_number_of_queries_for_a_few_projects_as_for_many(world):
    counts = []
    for rows in (3, 40):
        for i in range(rows):
            p = f.project(
                region=world.county,
                lead_unit=world.water if i % 2 else world.transport,
                sector=world.reservoir.sector,
                townships=[f.township(world.county, f"测试镇{rows}-{i}")],
                actual_start=dt.date(2019, 1, 1) if i % 3 else None,
            )
            if i % 3:
                started_report(p, 9, "10.00", by=world.office)
        client = login(world.office)
        _queries(client, "/battlemap/?year=2020&month=9")
        counts.append(
            (
                _queries(client, "/battlemap/?year=2020&month=9"),
                _queries(client, "/api/v1/dashboard?year=2020&month=9"),
                _queries(client, "/battlemap/screen/?year=2020&month=9"),
            )
        )
    assert counts[0] == counts[1]
