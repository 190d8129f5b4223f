"""The ledger's filters above county level: units offered once a county is chosen."""

from __future__ import annotations

import pytest

from .conftest import login
from .page_builders import awkward_project

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def awkward(reported):
    """A project at 79.74 % against the 75 % schedule: 79.74 - 75 is 4.739999999999995 in floating point."""
    return awkward_project(reported)


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
