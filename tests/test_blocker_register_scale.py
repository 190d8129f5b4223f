"""The blocker register above county level: units offered once a county is chosen; the by-unit table
capped."""

from __future__ import annotations

import datetime as dt

import pytest

from blockers import views as blocker_views

from .blocker_builders import raise_blocker
from .conftest import login
from .page_builders import awkward_project

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def awkward(reported):
    """A project at 79.74 % against the 75 % schedule: 79.74 - 75 is 4.739999999999995 in floating point."""
    return awkward_project(reported)


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
