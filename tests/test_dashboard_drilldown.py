"""Every chart of the dashboard drills down: its link opens a ledger whose totals equal the chart's value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from . import factories as f
from .conftest import login
from .report_builders import started_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def county(reported):
    """Add a culture project in 洪安镇 led by the township, started and ahead of schedule."""
    culture = f.sector("文化旅游")
    gate = f.project(
        region=reported.county,
        lead_unit=reported.hongan,
        sector=culture,
        name="洪安边城景区提档升级",
        townships=[reported.hongan_town],
        planned="1000.00",
        actual_start=dt.date(2020, 2, 1),
    )
    for m in range(3, 10):
        started_report(gate, m, "120.00", by=reported.office)
    return reported


def ledger_totals(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.context["totals"]


@pytest.mark.parametrize("who", ["office", "viewer", "leader_user", "water_user"])
def test_it_links_each_sector_to_the_ledger_of_its_projects(county, who):
    client = login(getattr(county, who))
    data = client.get("/api/v1/dashboard?year=2020&month=9").json()
    assert data["sectors"]
    for sector in data["sectors"]:
        totals = ledger_totals(client, sector["url"])
        assert totals.count == sector["projects"], sector["label"]
        assert f"{totals.planned_investment:.2f}" == sector["planned_investment"]
        assert f"{totals.ytd:.2f}" == sector["ytd_investment"]


def test_it_links_each_township_to_the_ledger_of_the_projects_built_there(county):
    client = login(county.office)
    townships = client.get("/api/v1/dashboard?year=2020&month=9").json()["townships"]
    assert {t["label"] for t in townships} == {"洪安镇", "中和街道"}
    for township in townships:
        totals = ledger_totals(client, township["url"])
        assert (totals.count, f"{totals.ytd:.2f}") == (township["projects"], township["ytd_investment"])


def test_it_links_each_light_to_the_ledger_of_projects_with_that_light(county):
    client = login(county.office)
    headline = client.get("/api/v1/dashboard?year=2020&month=9").json()["headline"]
    assert headline["lights"] == {"green": 2, "yellow": 0, "red": 2}
    for colour, url in headline["light_urls"].items():
        assert ledger_totals(client, url).count == headline["lights"][colour], colour


def test_it_links_a_units_ranking_to_the_ledger_of_its_projects(county):
    client = login(county.office)
    units = client.get("/api/v1/dashboard?year=2020&month=9").json()["units"]
    hongan = next(u for u in units if u["label"] == "洪安镇人民政府")
    totals = ledger_totals(client, hongan["url"])
    assert (totals.count, totals.planned_investment) == (1, Decimal("1000.00"))


def test_it_links_the_headline_to_started_and_not_started_projects(county):
    client = login(county.office)
    headline = client.get("/battlemap/?year=2020&month=9").context["headline"]
    assert ledger_totals(client, headline["started_url"]).count == headline["started"] == 3
    assert ledger_totals(client, headline["not_started_url"]).count == headline["not_started"] == 1
    page = client.get("/battlemap/?year=2020&month=9").content.decode()
    assert headline["light_urls"]["red"].replace("&", "&amp;") in page


def test_it_links_a_cooperating_units_ranking_to_its_led_projects_only(county):
    # Water leads the reservoir and only cooperates on the road: its ranking counts the reservoir.
    client = login(county.office)
    units = client.get("/api/v1/dashboard?year=2020&month=9").json()["units"]
    water = next(u for u in units if u["label"] == county.water.name)
    totals = ledger_totals(client, water["url"])
    assert (totals.count, f"{totals.planned_investment:.2f}", f"{totals.ytd:.2f}") == (
        water["projects"],
        water["planned_investment"],
        water["ytd_investment"],
    )
    assert totals.count == 1
