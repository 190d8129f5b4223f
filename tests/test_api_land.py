"""GET /api/v1/land?year=Y: the register by township and the plans, scoped like the page; in the
OpenAPI document."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import login
from .land_builders import land_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def land(world):
    land_plan(
        world.reservoir,
        world.hongan_town,
        needed="120",
        households=20,
        due=dt.date(2020, 8, 31),
        months=[{"year": 2020, "month": 7, "acquired": "90", "handed_over": "80", "households_relocated": 8}],
    )
    land_plan(world.bridge, world.hongan_town, needed="12.5")
    return world


def test_it_answers_the_year_by_township_and_plan(land):
    body = login(land.office).get("/api/v1/land?year=2020").json()
    assert body["year"] == 2020
    (hongan,) = body["by_township"]
    assert hongan["township"]["name"] == "洪安镇" and hongan["plans"] == 2 and hongan["behind"] == 1
    assert hongan["area_needed"] == "132.50" and hongan["handed_over"] == "80.00"
    assert body["total"]["township"] is None and body["total"]["households_relocated"] == 8
    assert body["plans"]["count"] == 2
    first = body["plans"]["results"][0]
    assert first["project"]["name"] == "洪安水库工程" and first["handover_due"] == "2020-08-31"


def test_it_is_scoped_per_role(land):
    water = login(land.water_user).get("/api/v1/land?year=2020").json()
    assert [p["project"]["name"] for p in water["plans"]["results"]] == ["洪安水库工程"]
    assert login(land.outsider).get("/api/v1/land?year=2020").json()["plans"]["count"] == 0


def test_a_bad_year_is_a_400_with_a_message(land):
    response = login(land.office).get("/api/v1/land?year=1999")
    assert response.status_code == 400
    assert login(land.office).get("/api/v1/land?year=abc").status_code == 400


def test_it_is_in_the_openapi_document(land):
    schema = login(land.office).get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/land"]["get"]
    assert "year" in {p["name"] for p in operation["parameters"]}
