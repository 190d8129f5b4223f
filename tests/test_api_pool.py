"""GET /api/v1/pool?year=Y (candidates by proposed start year) and /api/v1/pool/{id}, in the OpenAPI
document, scoped like the pages."""

from __future__ import annotations

import json

import pytest
from ninja.responses import NinjaJSONEncoder

from api.app import api

from . import factories as f
from . import pool_builders as pb
from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(world):
    water = f.sector("水利")
    central = pb.channel(world.county, "中央预算内投资")
    dam = pb.candidate(
        region=world.county,
        lead_unit=world.water,
        sector=water,
        name="钟灵水库",
        investment="86000.00",
        year=2021,
        national_code="2020-500241-76-01-000123",
    )
    dam.channels.set([central])
    pb.application(dam, central, "20000.00", "12000.00", batch="2020年第一批")
    pb.candidate(
        region=world.county,
        lead_unit=world.water,
        sector=water,
        name="堤防",
        investment="24000.50",
        year=2021,
    )
    pb.candidate(region=world.county, lead_unit=world.water, sector=water, name="远期水厂", year=2022)
    return dam


def test_it_lists_the_years_candidates_with_their_totals(world, pool):
    body = login(world.office).get("/api/v1/pool?year=2021").json()
    assert body["year"] == 2021 and body["count"] == 2
    assert body["totals"] == {"count": 2, "estimated_investment": "110000.50"}
    dam = next(r for r in body["results"] if r["name"] == "钟灵水库")
    assert dam["national_code"] == "2020-500241-76-01-000123" and dam["estimated_investment"] == "86000.00"
    assert dam["channels"] == [{"id": pool.channels.get().pk, "name": "中央预算内投资"}]
    assert login(world.office).get("/api/v1/pool?year=2022").json()["count"] == 1


def test_it_answers_one_candidate_with_its_applications(world, pool):
    body = login(world.office).get(f"/api/v1/pool/{pool.pk}").json()
    assert body["applications"][0]["amount_approved"] == "12000.00"
    assert body["applications"][0]["batch"] == "2020年第一批"
    assert login(world.outsider).get(f"/api/v1/pool/{pool.pk}").status_code == 404


def test_it_refuses_a_missing_or_bad_year_with_a_message(world, pool):
    for url in ("/api/v1/pool", "/api/v1/pool?year=1999", "/api/v1/pool?year=abc"):
        response = login(world.office).get(url)
        assert response.status_code == 400
        assert response.json()["detail"]


def test_it_is_in_the_openapi_document():
    schema = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), cls=NinjaJSONEncoder))
    assert "/api/v1/pool" in schema["paths"] and "/api/v1/pool/{id}" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/v1/pool"]["get"]["parameters"]}
    assert "year" in params
