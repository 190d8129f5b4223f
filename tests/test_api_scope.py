"""Every JSON endpoint is scoped like the pages: a unit never receives another unit's project."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from .conftest import login
from .report_builders import report, started

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/summary?year=2020&month=9",
    "/api/v1/figures?year=2020&month=9&by=unit",
    "/api/v1/figures?year=2020&month=9&by=township",
    "/api/v1/lights?year=2020&month=9",
    "/api/v1/dashboard?year=2020&month=9",
    "/api/v1/wallchart?year=2020&month=9",
    "/api/v1/map?year=2020&month=9",
]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_it_keeps_other_units_projects_out_of_every_endpoint(world, url):
    for project in (world.reservoir, world.bridge, world.far):
        started(project)
        report(project, 9, "100.00")
        project.longitude, project.latitude = Decimal("109.000000"), Decimal("28.400000")
        project.save()
    water = login(world.water_user).get(url)
    assert water.status_code == 200
    body = json.dumps(water.json(), ensure_ascii=False)
    assert "梅江河大桥" not in body and "酉阳水厂" not in body
    office = json.dumps(login(world.office).get(url).json(), ensure_ascii=False)
    assert "酉阳水厂" not in office
    if any(part in url for part in ("lights", "wallchart", "map")):
        # These list projects by name: the office sees the one the unit must not.
        assert "梅江河大桥" in office and "洪安水库工程" in body


def test_it_counts_only_the_units_projects_in_the_summary(world):
    data = login(world.water_user).get("/api/v1/summary?year=2020&month=9").json()
    assert data["projects"] == 2
    assert data["planned_investment"] == "5000.00"
