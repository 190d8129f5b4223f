"""GET /api/v1/dashboard above county level: counties ranked, units capped; the headline adds up as the
summary."""

from __future__ import annotations

import pytest

from battlemap import selectors as battlemap_selectors

from .conftest import login
from .page_builders import awkward_project

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def awkward(reported):
    """A project at 79.74 % against the 75 % schedule: 79.74 - 75 is 4.739999999999995 in floating point."""
    return awkward_project(reported)


def test_it_ranks_counties_and_caps_units_above_county_level(reported, monkeypatch):
    monkeypatch.setattr(battlemap_selectors, "RANK_SIZE", 1)
    client = login(reported.city_office)
    data = client.get("/api/v1/dashboard?year=2020&month=9").json()
    assert {r["label"] for r in data["regions"]} == {"秀山县", "酉阳县"}
    assert sum(r["projects"] for r in data["regions"]) == data["headline"]["projects"]
    # Three lead units: the best and the worst, each with its own rank.
    assert data["units_total"] == 3
    assert [u["rank"] for u in data["units"]] == [1, 3]
    page = client.get("/battlemap/?year=2020&month=9").content.decode()
    assert 'id="chart-regions"' in page and "/reports/units/?year=2020&amp;month=9" in page


def test_it_ranks_every_unit_of_a_county(reported):
    data = login(reported.office).get("/api/v1/dashboard?year=2020&month=9").json()
    assert data["regions"] == []
    assert len(data["units"]) == data["units_total"]


def test_it_adds_the_headline_up_from_the_sectors_as_the_summary_does(reported):
    client = login(reported.city_office)
    headline = client.get("/api/v1/dashboard?year=2020&month=9").json()["headline"]
    summary = client.get("/api/v1/summary?year=2020&month=9").json()
    assert headline["projects"] == summary["projects"]
    assert headline["ytd_investment"] == summary["ytd_investment"]
    assert headline["lights"] == summary["lights"]
