"""Province scale: exact rates and gaps, capped rankings and county-first filters above county level."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from battlemap import selectors as battlemap_selectors
from blockers import views as blocker_views
from reports.figures import month_plans

from . import factories as f
from .blocker_builders import raise_blocker
from .conftest import login
from .report_builders import started_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def awkward(reported):
    """A project at 79.74 % against the 75 % schedule: 79.74 - 75 is 4.739999999999995 in floating point."""
    project = f.project(
        region=reported.county,
        lead_unit=reported.water,
        sector=reported.reservoir.sector,
        name="清溪场镇供水管网",
        planned="10000.00",
        actual_start=dt.date(2020, 1, 15),
    )
    started_report(project, 1, "7974.00", by=reported.office)
    return project


def test_it_returns_rates_and_gaps_with_exactly_two_places(awkward, reported):
    row = month_plans(reported.office, year=2020, month=9).with_projects().get(project=awkward)
    assert (row.rate, row.gap) == (Decimal("79.74"), Decimal("4.74"))
    assert str(row.gap) == "4.74"


def test_it_serves_exact_gap_points_in_the_lights_api(awkward, reported):
    projects = login(reported.office).get("/api/v1/lights?year=2020&month=9").json()["projects"]
    row = next(p for p in projects if p["id"] == awkward.pk)
    assert (row["completion_rate"], row["gap_points"]) == (79.74, 4.74)


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


def test_it_offers_units_in_the_ledger_only_once_a_county_is_chosen(reported):
    client = login(reported.city_office)
    page = client.get("/projects/?year=2020")
    assert "县水利局" not in page.context["filter"].form["unit"].as_widget()
    chosen = client.get(f"/projects/?year=2020&region={reported.county.pk}")
    assert "县水利局" in chosen.context["filter"].form["unit"].as_widget()
    # A unit named without a county (a drill-down link) still filters, and stays selected.
    by_unit = client.get(f"/projects/?year=2020&unit={reported.water.pk}&unit_role=lead")
    assert by_unit.context["totals"].count == 1
    assert f'value="{reported.water.pk}" selected' in by_unit.context["filter"].form["unit"].as_widget()


def test_it_redraws_the_whole_filter_when_a_county_is_chosen(reported):
    client = login(reported.city_office)
    headers = {"HX-Request": "true", "HX-Target": "ledger-page"}
    response = client.get(f"/projects/?year=2020&region={reported.county.pk}", headers=headers)
    assert 'id="ledger-filters"' in response.content.decode()
    partial = client.get("/projects/?year=2020", headers={"HX-Request": "true", "HX-Target": "ledger-table"})
    assert 'id="ledger-filters"' not in partial.content.decode()


def test_it_keeps_the_county_filter_off_a_county_office_ledger(reported):
    page = login(reported.office).get("/projects/?year=2020")
    assert "县水利局" in page.context["filter"].form["unit"].as_widget()


def test_it_offers_the_register_units_only_once_a_county_is_chosen(world):
    raise_blocker(world.reservoir, deadline=dt.date(2020, 10, 1), by=world.office)
    client = login(world.city_office)
    page = client.get("/blockers/")
    assert "region" in page.context["filter"].form.fields
    assert "县水利局" not in page.context["filter"].form["unit"].as_widget()
    chosen = client.get(f"/blockers/?region={world.county.pk}")
    assert "县水利局" in chosen.context["filter"].form["unit"].as_widget()
    assert "region" not in login(world.office).get("/blockers/").context["filter"].form.fields


def test_it_caps_the_register_by_unit_table(world, monkeypatch):
    monkeypatch.setattr(blocker_views, "BY_UNIT_ROWS", 1)
    for project in (world.reservoir, world.road, world.road):
        raise_blocker(project, by=world.office)
    client = login(world.office)
    capped = client.get("/blockers/")
    assert [r["lead_unit__name"] for r in capped.context["by_unit"]] == ["县交通局"]
    assert "units=all" in capped.content.decode()
    full = client.get("/blockers/?units=all")
    assert [r["n"] for r in full.context["by_unit"]] == [2, 1]
    assert full.context["page"].paginator.count == 3
