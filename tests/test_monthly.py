"""The month table (/reports/): the month's reports with their lights and filters, the latest reported
month by default."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from .conftest import login
from .page_builders import file_september

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def filed(world):
    return file_september(world)


def test_it_lists_the_months_reports_with_lights_and_filters(filed):
    client = login(filed.office)
    response = client.get("/reports/?year=2020&month=9")
    assert response.status_code == 200
    rows = {r.project.name: r for r in response.context["rows"]}
    assert rows["洪安水库工程"].ytd == D("2250.00") and rows["洪安水库工程"].light == "green"
    assert rows["中和至平凯公路改造"].ytd == D("0.00")  # the returned report does not count
    assert rows["梅江河大桥"].light_reason == "Planned to start in month 6, still not started in month 9" or (
        "6" in rows["梅江河大桥"].light_reason
    )
    red = client.get("/reports/?year=2020&month=9&light=red").context["rows"]
    assert {r.project.name for r in red} == {"中和至平凯公路改造", "梅江河大桥"}
    missing = client.get("/reports/?year=2020&month=9&status=missing").context["rows"]
    assert {r.project.name for r in missing} == {"中和至平凯公路改造", "梅江河大桥"}


def test_it_defaults_to_the_latest_reported_month(filed):
    response = login(filed.office).get("/reports/")
    assert (response.context["year"], response.context["month"]) == (2020, 9)
