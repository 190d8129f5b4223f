"""GET /api/v1/projects (the ledger's filters, each row's month figures) and /api/v1/projects/{id}."""

from __future__ import annotations

import pytest
from django.test import Client

from .conftest import login
from .report_builders import report, set_plan, started

pytestmark = pytest.mark.django_db
SEPTEMBER = "year=2020&month=9"


@pytest.fixture
def reported(world):
    started(world.reservoir)
    started(world.road)
    report(world.reservoir, 9, "2250.00")  # 75% of 3000 by September: on schedule, green
    report(world.road, 9, "100.00")
    report(world.far, 9, "10.00")
    set_plan(world.bridge, start_month=3)
    return world


def names(response) -> list[str]:
    return [row["name"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("office", ["洪安水库工程", "中和至平凯公路改造", "梅江河大桥"]),
        ("water_user", ["洪安水库工程", "中和至平凯公路改造"]),  # led and cooperating
        ("hongan_user", ["洪安水库工程"]),  # built in its township
        ("leader_user", ["洪安水库工程"]),
        ("viewer", ["洪安水库工程", "中和至平凯公路改造", "梅江河大桥"]),
        ("outsider", ["酉阳水厂"]),
        ("city_office", ["洪安水库工程", "中和至平凯公路改造", "梅江河大桥", "酉阳水厂"]),
    ],
)
def test_it_lists_each_roles_projects(reported, who, expected):
    response = login(getattr(reported, who)).get(f"/api/v1/projects?{SEPTEMBER}")
    assert sorted(names(response)) == sorted(expected)
    assert response.json()["count"] == len(expected)


def test_each_row_carries_the_months_figures_from_the_figures_core(reported):
    client = login(reported.office)
    rows = {r["name"]: r for r in client.get(f"/api/v1/projects?{SEPTEMBER}").json()["results"]}
    lights = {p["name"]: p for p in client.get(f"/api/v1/lights?{SEPTEMBER}").json()["projects"]}
    reservoir = rows["洪安水库工程"]["figures"]
    assert (reservoir["ytd_investment"], reservoir["completion_rate"], reservoir["light"]) == (
        "2250.00",
        75.0,
        "green",
    )
    assert reservoir["report_status"] == "approved" and reservoir["started"] is True
    for name, row in rows.items():
        assert row["figures"]["light"] == lights[name]["light"]
        assert row["figures"]["reason"] == lights[name]["reason"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("started=no", ["梅江河大桥"]),
        ("started=yes", ["洪安水库工程", "中和至平凯公路改造"]),
        ("light=green", ["洪安水库工程"]),
        ("q=大桥", ["梅江河大桥"]),
        ("unit_role=lead&unit={water}", ["洪安水库工程"]),
        ("unit={water}", ["洪安水库工程", "中和至平凯公路改造"]),
        ("township={hongan_town}", ["洪安水库工程"]),
        ("leader={leader}", ["洪安水库工程"]),
    ],
)
def test_it_filters_like_the_ledger(reported, query, expected):
    query = query.format(
        water=reported.water.pk, hongan_town=reported.hongan_town.pk, leader=reported.leader.pk
    )
    response = login(reported.office).get(f"/api/v1/projects?{SEPTEMBER}&{query}")
    assert response.status_code == 200
    assert sorted(names(response)) == sorted(expected)


def test_a_filter_naming_something_out_of_scope_is_a_bad_parameter(reported):
    response = login(reported.office).get(f"/api/v1/projects?unit={reported.other_unit.pk}")
    assert response.status_code == 400 and response.json()["detail"].startswith("unit: ")


def test_it_pages_the_ledger(reported):
    client = login(reported.office)
    first = client.get(f"/api/v1/projects?{SEPTEMBER}&page_size=2").json()
    second = client.get(f"/api/v1/projects?{SEPTEMBER}&page_size=2&page=2").json()
    assert first["count"] == second["count"] == 3
    assert len(first["results"]) == 2 and len(second["results"]) == 1


def test_it_lists_a_page_in_a_fixed_number_of_queries(reported, django_assert_max_num_queries):
    from . import factories as f

    for _ in range(30):
        p = f.project(region=reported.county, lead_unit=reported.water, sector=reported.reservoir.sector)
        report(p, 9, "10.00", by=reported.office)
    client = login(reported.office)
    with django_assert_max_num_queries(14):  # no query per row
        assert client.get(f"/api/v1/projects?{SEPTEMBER}&page_size=50").status_code == 200


def test_one_project_with_its_plans_and_current_figures(reported):
    data = login(reported.water_user).get(f"/api/v1/projects/{reported.reservoir.pk}?{SEPTEMBER}").json()
    assert data["name"] == "洪安水库工程" and data["lead_unit"]["name"] == "县水利局"
    assert [p["year"] for p in data["plans"]] == [2020]
    assert data["plans"][0]["planned_investment"] == "3000.00"
    assert data["total_investment"] == "12000.00"
    assert data["figures"]["ytd_investment"] == "2250.00" and data["figures"]["month"] == 9


def test_another_units_or_countys_project_does_not_exist(reported):
    water = login(reported.water_user)
    for project in (reported.bridge, reported.far):
        response = water.get(f"/api/v1/projects/{project.pk}")
        assert response.status_code == 404 and response.json() == {"detail": "未找到。"}
    assert login(reported.outsider).get(f"/api/v1/projects/{reported.reservoir.pk}").status_code == 404
    assert Client().get(f"/api/v1/projects/{reported.reservoir.pk}").status_code == 401
