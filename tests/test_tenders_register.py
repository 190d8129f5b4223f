"""The tender register, its export and GET /api/v1/tenders: scoped per role like the pages, filtered,
totalled with the overall discount rate, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from ninja.responses import NinjaJSONEncoder
from openpyxl import load_workbook

from api.app import api

from . import factories as f
from .conftest import login
from .tender_builders import awarded, package

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def packages(world):
    return {
        "reservoir": awarded(world.reservoir, budget="1000.00", price="920.00", name="水库施工"),
        "reservoir_open": package(world.reservoir, kind="supervision", name="水库监理", budget="80.00"),
        "road": awarded(world.road, budget="500.00", price="510.00", name="公路施工"),
        "bridge": package(world.bridge, name="大桥施工", announced_on=dt.date(2020, 9, 1), budget="300.00"),
        "far": awarded(world.far, name="酉阳水厂施工"),
    }


def _names(response) -> set[str]:
    return {p.name for p in response.context["page"].object_list}


def test_it_lists_the_region_for_the_office_with_totals_and_overall_rate(world, packages):
    response = login(world.office).get(reverse("works:register"))
    assert response.status_code == 200
    assert _names(response) == {"水库施工", "水库监理", "公路施工", "大桥施工"}
    total = response.context["total"]
    assert str(total.budget) == "1880.00"
    assert str(total.contract_price) == "1430.00"
    # (1500 − 1430) ÷ 1500 over the awarded packages only
    assert str(total.rate) == "4.67"
    page = response.content.decode()
    assert "4.67%" in page and "-2.00%" in page


def test_it_shows_a_unit_only_its_own_projects(world, packages):
    assert _names(login(world.water_user).get(reverse("works:register"))) == {
        "水库施工",
        "水库监理",
        "公路施工",
    }
    # a township sees the projects built in it, and changes none of them
    assert _names(login(world.hongan_user).get(reverse("works:register"))) == {"水库施工", "水库监理"}
    assert _names(login(world.leader_user).get(reverse("works:register"))) == {"水库施工", "水库监理"}
    assert _names(login(world.outsider).get(reverse("works:register"))) == {"酉阳水厂施工"}


def test_it_filters_by_kind_state_method_unit_and_year(world, packages):
    client = login(world.office)
    url = reverse("works:register")
    assert _names(client.get(url, {"kind": "supervision"})) == {"水库监理"}
    assert _names(client.get(url, {"state": "announced"})) == {"大桥施工"}
    assert _names(client.get(url, {"state": "planned"})) == {"水库监理"}
    assert _names(client.get(url, {"state": "awarded", "unit": world.transport.pk})) == {"公路施工"}
    assert _names(client.get(url, {"method": "direct"})) == set()
    assert _names(client.get(url, {"year": "2021"})) == set()  # no project on the 2021 list


def test_it_refuses_a_bad_filter_with_a_message_not_a_500(world, packages):
    response = login(world.office).get(reverse("works:register"), {"year": "abc", "state": "nonsense"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors


def test_it_shows_the_warnings_column(world, packages):
    page = login(world.office).get(reverse("works:register")).content.decode()
    assert 'data-warning="tender_above_budget"' in page  # the road: 510 against 500


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("works:register")).status_code == 200
    return len(ctx.captured_queries)


def test_it_runs_a_fixed_number_of_queries_whatever_the_number_of_packages(world, packages):
    client = login(world.office)
    client.get(reverse("works:register"))  # the session's first request does its own one-off reads
    few = _queries(client)
    for n in range(30):
        p = f.project(region=world.county, lead_unit=world.water, sector=world.reservoir.sector)
        awarded(p, price="1010.00") if n % 2 else package(p, kind="design")
    assert _queries(client) == few


def test_it_exports_what_the_page_lists(world, packages):
    response = login(world.water_user).get(reverse("works:export"), {"kind": "construction"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    text = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    flat = " ".join(str(c) for row in text for c in row if c is not None)
    assert "水库施工" in flat and "公路施工" in flat
    assert "水库监理" not in flat and "大桥施工" not in flat and "酉阳" not in flat
    rates = [row[13] for row in text if row and row[4] in ("水库施工", "公路施工")]
    assert sorted(float(r) for r in rates) == [-2.0, 8.0]


# -- the API --------------------------------------------------------------------------------------------
def test_the_api_answers_scoped_packages_with_paging(world, packages):
    body = login(world.water_user).get("/api/v1/tenders").json()
    assert body["count"] == 3
    names = {r["name"] for r in body["results"]}
    assert names == {"水库施工", "水库监理", "公路施工"}
    road = next(r for r in body["results"] if r["name"] == "公路施工")
    assert road["discount_rate"] in ("-2.00", -2.0)
    assert road["contract_price"] in ("510.00", 510.0)
    assert road["state"] == "awarded"
    one = login(world.office).get("/api/v1/tenders", {"page_size": 1}).json()
    assert one["count"] == 4 and len(one["results"]) == 1


def test_the_api_filters_by_project_kind_and_state(world, packages):
    client = login(world.office)
    assert client.get("/api/v1/tenders", {"project": world.bridge.pk}).json()["count"] == 1
    assert client.get("/api/v1/tenders", {"kind": "supervision"}).json()["count"] == 1
    assert client.get("/api/v1/tenders", {"state": "announced"}).json()["results"][0]["name"] == "大桥施工"
    assert client.get("/api/v1/tenders", {"project": world.far.pk}).json()["count"] == 0  # out of scope


def test_the_api_refuses_bad_parameters_with_400(world, packages):
    client = login(world.office)
    assert client.get("/api/v1/tenders", {"state": "nonsense"}).status_code == 400
    assert client.get("/api/v1/tenders", {"year": "1800"}).status_code == 400


def test_the_api_refuses_anonymous_callers(client, packages):
    assert client.get("/api/v1/tenders").status_code in (401, 403)


def test_the_api_is_in_the_schema():
    document = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), cls=NinjaJSONEncoder))
    operation = document["paths"]["/api/v1/tenders"]["get"]
    params = {p["name"] for p in operation["parameters"]}
    assert {"year", "project", "kind", "state", "page", "page_size"} <= params
