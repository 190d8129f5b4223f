"""GET /api/v1/summary (and figures, lights): the contract, every role's scope, 401 for strangers."""

from __future__ import annotations

import pytest
from django.test import Client

from .conftest import login
from .report_builders import report, set_plan, started

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]
KEYS = {
    "projects",
    "planned_investment",
    "ytd_investment",
    "completion_rate",
    "schedule_target",
    "gap_points",
    "lights",
    "not_started",
    "blockers_open",
    "blockers_overdue",
    "tasks_overdue",
}


@pytest.fixture
def filed(world):
    started(world.reservoir)
    started(world.road)
    report(world.reservoir, 3, "927.00")  # 30.90% of 3000 by March: 5.90 points ahead
    report(world.road, 3, "500.00")
    report(world.far, 3, "100.00")
    set_plan(world.bridge, start_month=2)
    return world


def test_it_answers_the_contract_for_the_office(filed):
    data = login(filed.office).get("/api/v1/summary?year=2020&month=3").json()
    assert KEYS <= set(data)
    assert data["projects"] == 3
    assert data["planned_investment"] == "5500.00"
    assert data["ytd_investment"] == "1427.00"
    assert data["completion_rate"] == 25.95
    assert data["schedule_target"] == 25.0
    assert data["gap_points"] == 0.95
    assert data["lights"] == {"green": 2, "yellow": 0, "red": 1}
    assert data["not_started"] == 1
    assert isinstance(data["blockers_open"], int) and isinstance(data["tasks_overdue"], int)


def test_it_reproduces_the_published_march_example_for_one_project(filed):
    data = login(filed.leader_user).get("/api/v1/summary?year=2020&month=3").json()
    assert (data["projects"], data["completion_rate"], data["schedule_target"], data["gap_points"]) == (
        1,
        30.9,
        25.0,
        5.9,
    )


@pytest.mark.parametrize(
    ("who", "projects", "ytd"),
    [
        ("office", 3, "1427.00"),
        ("water_user", 2, "1427.00"),
        ("transport_user", 2, "500.00"),
        ("hongan_user", 1, "927.00"),
        ("leader_user", 1, "927.00"),
        ("supervisor", 3, "1427.00"),
        ("viewer", 3, "1427.00"),
        ("city_office", 4, "1527.00"),
        ("outsider", 1, "100.00"),
    ],
)
def test_it_scopes_the_summary_to_each_role(filed, who, projects, ytd):
    data = login(getattr(filed, who)).get("/api/v1/summary?year=2020&month=3").json()
    assert (data["projects"], data["ytd_investment"]) == (projects, ytd)


def test_it_refuses_strangers_with_401_and_no_data(filed):
    response = Client().get("/api/v1/summary?year=2020&month=3")
    assert response.status_code == 401
    assert "projects" not in response.json()
    assert Client().get("/api/v1/figures").status_code == 401
    assert Client().get("/api/v1/lights").status_code == 401


def test_it_defaults_to_the_latest_month_with_reports(filed):
    data = login(filed.office).get("/api/v1/summary").json()
    assert (data["year"], data["month"]) == (2020, 3)


def test_it_rejects_a_bad_month(filed):
    assert login(filed.office).get("/api/v1/summary?year=2020&month=13").status_code == 400


def test_it_serves_figures_by_group_and_lights_per_project(filed):
    client = login(filed.office)
    groups = client.get("/api/v1/figures?year=2020&month=3&by=unit").json()["groups"]
    assert {g["label"]: g["ytd_investment"] for g in groups} == {"县水利局": "927.00", "县交通局": "500.00"}
    assert client.get("/api/v1/figures?by=nonsense").status_code == 400
    lights = client.get("/api/v1/lights?year=2020&month=3").json()["projects"]
    assert {p["name"]: p["light"] for p in lights}["梅江河大桥"] == "red"
    assert all(p["reason"] for p in lights)
