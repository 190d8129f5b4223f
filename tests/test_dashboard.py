"""The battle map dashboard: figures equal to the ledger's and the summary API's, scoped per role,
drill-down links that lead to the projects behind each figure, and a fixed query count."""

from __future__ import annotations

import datetime as dt

import pytest

from . import factories as f
from .conftest import login
from .report_builders import started_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


def test_it_defaults_to_the_latest_month_with_reports(reported):
    response = login(reported.office).get("/battlemap/")
    assert response.status_code == 200
    assert (response.context["year"], response.context["month"]) == (2020, 9)
    assert "battlemap-data" in response.content.decode()


ROLES = ["office", "water_user", "transport_user", "hongan_user", "leader_user", "viewer", "city_office"]


@pytest.mark.parametrize("who", ROLES)
def test_it_shows_the_same_figures_as_the_ledger_and_the_summary_api(reported, who):
    client = login(getattr(reported, who))
    page = client.get("/battlemap/?year=2020&month=9")
    headline = page.context["headline"]
    summary = client.get("/api/v1/summary?year=2020&month=9").json()
    for key in (
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
    ):
        assert headline[key] == summary[key], key
    ledger = client.get(headline["url"]).context["totals"]
    assert ledger.count == headline["projects"]
    assert f"{ledger.planned_investment:.2f}" == headline["planned_investment"]
    api = client.get("/api/v1/dashboard?year=2020&month=9").json()
    assert api["headline"]["ytd_investment"] == headline["ytd_investment"]


def test_it_shows_the_county_office_its_county_figures(reported):
    headline = login(reported.office).get("/battlemap/?year=2020&month=9").context["headline"]
    assert headline["projects"] == 3
    assert headline["planned_investment"] == "5500.00"
    assert headline["ytd_investment"] == "3150.00"  # 2,250 + 900; the other county's 10 is not ours
    assert headline["completion_rate"] == 57.27
    assert headline["schedule_target"] == 75.0
    assert headline["gap_points"] == -17.73
    assert headline["lights"] == {"green": 1, "yellow": 0, "red": 2}
    assert (headline["started"], headline["not_started"]) == (2, 1)


def test_it_shows_a_unit_only_its_projects(reported):
    data = login(reported.hongan_user).get("/api/v1/dashboard?year=2020&month=9").json()
    assert data["headline"]["projects"] == 1
    assert [s["label"] for s in data["sectors"]] == ["水利"]
    assert [p["name"] for p in data["lagging"]["items"]] == []
    assert "梅江河大桥" not in str(data)


def test_it_draws_the_cumulative_curve_up_to_the_month(reported):
    curve = login(reported.office).get("/api/v1/dashboard?year=2020&month=9").json()["curve"]
    assert curve["schedule_target"][2] == 25.0 and curve["schedule_target"][11] == 100.0
    assert curve["actual_ytd"][0] == "350.00"
    assert curve["actual_ytd"][8] == "3150.00"
    assert curve["actual_rate"][8] == 57.27  # the headline's rate at September
    assert curve["actual_rate"][9] is None


def test_it_ignores_drafts_and_returned_reports_like_the_ledger(reported):
    started_report(reported.bridge, 9, "400.00", by=reported.office, status="draft")
    headline = login(reported.office).get("/battlemap/?year=2020&month=9").context["headline"]
    assert headline["ytd_investment"] == "3150.00"


def test_it_ranks_units_by_completion_rate(reported):
    units = login(reported.office).get("/api/v1/dashboard?year=2020&month=9").json()["units"]
    assert [(u["rank"], u["label"], u["completion_rate"]) for u in units] == [
        (1, "县水利局", 75.0),
        (2, "县交通局", 36.0),  # 900 of 2,500
    ]


def test_it_lists_lagging_and_not_started_projects_with_reasons(reported):
    data = login(reported.office).get("/api/v1/dashboard?year=2020&month=9").json()
    assert [p["name"] for p in data["lagging"]["items"]] == ["中和至平凯公路改造"]
    assert "30.0" in data["lagging"]["items"][0]["reason"]  # 45 % against 75 %
    assert [p["name"] for p in data["not_started"]["items"]] == ["梅江河大桥"]


def test_it_counts_open_and_overdue_blockers(reported):
    from blockers.models import Blocker

    Blocker.objects.create(
        project=reported.road,
        kind="land",
        description="征地未完成",
        lead_unit=reported.transport,
        deadline=dt.date(2020, 8, 31),
        raised_at=dt.datetime(2020, 6, 1, tzinfo=dt.UTC),
    )
    Blocker.objects.create(
        project=reported.far,
        kind="land",
        description="外县",
        lead_unit=reported.other_unit,
        deadline=dt.date(2020, 8, 31),
        raised_at=dt.datetime(2020, 6, 1, tzinfo=dt.UTC),
    )
    headline = login(reported.office).get("/battlemap/?year=2020&month=9").context["headline"]
    assert (headline["blockers_open"], headline["blockers_overdue"]) == (1, 1)


def test_it_lets_a_city_office_see_both_counties(reported):
    data = login(reported.city_office).get("/api/v1/dashboard?year=2020&month=9").json()
    assert data["headline"]["projects"] == 4


def test_it_answers_anonymous_api_calls_with_401(reported):
    from django.test import Client

    assert Client().get("/api/v1/dashboard").status_code == 401
    assert Client().get("/battlemap/").status_code == 302


@pytest.mark.parametrize("rows", [5, 40])
def test_it_keeps_a_fixed_number_of_queries(world, rows, django_assert_max_num_queries):
    water_sector = world.reservoir.sector
    for i in range(rows):
        township = f.township(world.county, f"测试镇{rows}-{i}")
        p = f.project(
            region=world.county,
            lead_unit=world.water if i % 2 else world.transport,
            sector=water_sector if i % 3 else f.sector(f"行业{i % 4}"),
            townships=[township],
            actual_start=dt.date(2019, 1, 1),
        )
        started_report(p, 9, "100.00", by=world.office)
    client = login(world.office)
    with django_assert_max_num_queries(45):
        assert client.get("/battlemap/?year=2020&month=9").status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get("/api/v1/dashboard?year=2020&month=9").status_code == 200


def test_it_serves_the_big_screen_dark_and_refreshing_from_the_api(reported):
    page = login(reported.viewer).get("/battlemap/screen/").content.decode()
    assert 'data-bs-theme="dark"' in page and 'class="bm-screen"' in page
    assert 'data-api="/api/v1/dashboard"' in page and 'data-refresh-seconds="300"' in page
    assert "kp-sidebar" not in page  # full screen: no navigation
