"""Lights in the ledger: a column with its reason, a filter, counts, and a fixed query count."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.utils.translation import gettext

from . import factories as f
from .conftest import login
from .report_builders import report, set_plan, started

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


# 14 for the ledger, 9 for the warnings beside the lights (reports.warnings: approvals' nodes and the
# working-day calendar, land, funds, quality and safety, milestones, bidding ×3), read once for the page —
# the same for 10 rows as for 300.
WITH_WARNINGS = 23


@pytest.fixture
def lit(world):
    started(world.reservoir)
    started(world.road)
    report(world.reservoir, 9, "2250.00")  # 75% of 3000 — green at September's 75.00
    report(world.road, 9, "1000.00")  # 50% of 2000 — 25 points behind: red
    set_plan(world.bridge, start_month=9)  # not started, due in September: yellow
    return world


def lights(response) -> dict[str, str]:
    return {plan.project.name: plan.light for _, plan in response.context["rows"]}


def test_it_shows_each_projects_light_with_its_reason(lit):
    response = login(lit.office).get("/projects/?year=2020")
    assert lights(response) == {"洪安水库工程": "green", "中和至平凯公路改造": "red", "梅江河大桥": "yellow"}
    body = response.content.decode()
    assert 'class="kp-light red"' in body
    assert "25.0" in body  # the reason of the red light, as its tooltip
    totals = response.context["totals"]
    assert (totals.green, totals.yellow, totals.red, totals.ytd) == (1, 1, 1, D("3250.00"))


def test_it_filters_the_ledger_by_light(lit):
    client = login(lit.office)
    assert set(lights(client.get("/projects/?year=2020&light=red"))) == {"中和至平凯公路改造"}
    assert set(lights(client.get("/projects/?year=2020&light=yellow"))) == {"梅江河大桥"}


def test_it_sorts_the_ledger_by_rate(lit):
    rows = login(lit.office).get("/projects/?year=2020&sort=-rate").context["rows"]
    assert rows[0][1].project.name == "洪安水库工程"


@pytest.mark.parametrize("count", [10, 300])
def test_it_keeps_a_fixed_number_of_queries_with_lights(lit, django_assert_max_num_queries, count):
    for i in range(count):
        p = f.project(
            region=lit.county,
            lead_unit=lit.water,
            sector=lit.reservoir.sector,
            townships=[lit.hongan_town],
            leader=lit.leader,
            planned="100.00",
        )
        if i % 2:
            report(p, 8, "50.00")
    client = login(lit.office)
    with django_assert_max_num_queries(WITH_WARNINGS):
        response = client.get("/projects/?year=2020&size=500")
    assert response.context["totals"].count == count + 3
    assert sum(1 for _, plan in response.context["rows"] if plan.light) == count + 3


def heading(response) -> str:
    return response.content.decode().split("<h1>")[1].split("</h1>")[0]


def test_it_shows_the_month_asked_for_in_the_heading_lights_and_totals(lit):
    response = login(lit.office).get("/projects/?year=2020&month=8")
    # At the end of August nothing is reported yet and the bridge is not yet due to start.
    assert lights(response) == {"洪安水库工程": "red", "中和至平凯公路改造": "red", "梅江河大桥": "green"}
    totals = response.context["totals"]
    assert (totals.light_month, totals.ytd, totals.green, totals.red) == (8, D("0.00"), 1, 2)
    assert heading(response) == gettext("%(year)s key project ledger, month %(m)s") % {"year": 2020, "m": 8}
    assert 'value="8" selected' in response.content.decode()


def test_it_falls_back_to_the_latest_month_for_a_month_out_of_range(lit):
    response = login(lit.office).get("/projects/?year=2020&month=13")
    assert response.context["totals"].light_month == 9
    assert heading(response) == gettext("%(year)s key project ledger, month %(m)s") % {"year": 2020, "m": 9}


@pytest.mark.parametrize("count", [10, 300])
def test_it_keeps_a_fixed_number_of_queries_for_an_earlier_month(lit, django_assert_max_num_queries, count):
    for i in range(count):
        p = f.project(region=lit.county, lead_unit=lit.water, sector=lit.reservoir.sector, planned="100.00")
        report(p, 3 + i % 5, "10.00")
    client = login(lit.office)
    with django_assert_max_num_queries(WITH_WARNINGS):
        response = client.get("/projects/?year=2020&month=5&size=500&unit_role=lead")
    totals = response.context["totals"]
    assert (totals.count, totals.light_month) == (count + 3, 5)
    # Reports of months 3, 4 and 5 count by the end of May; those of 6 and 7 do not.
    assert totals.ytd == D("10.00") * sum(1 for i in range(count) if 3 + i % 5 <= 5)
