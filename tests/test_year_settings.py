"""The year settings (/reports/settings/): the schedule curve, refused when it decreases; the office's
only."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from reports.models import YearSetting

from .conftest import login
from .page_builders import file_september

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def filed(world):
    return file_september(world)


def test_it_lets_the_office_set_a_custom_curve(filed):
    client = login(filed.office)
    curve = ["5", "10", "20", "35", "50", "60", "68", "76", "84", "90", "95", "100"]
    data = {"year": "2020", "deadline_day": "8", "yellow_threshold": "5", "mode": "custom"}
    data.update({f"m{i}": v for i, v in enumerate(curve, start=1)})
    assert client.post("/reports/settings/?year=2020", data).status_code == 302
    setting = YearSetting.objects.get(region=filed.county, year=2020)
    assert setting.target(5) == D("50.00") and setting.deadline_day == 8
    response = client.get("/reports/?year=2020&month=9")
    assert {r.project.name: r.target for r in response.context["rows"]}["洪安水库工程"] == D("84.00")


def test_it_refuses_a_decreasing_curve_and_saves_nothing(filed):
    data = {"year": "2020", "deadline_day": "5", "yellow_threshold": "10", "mode": "custom"}
    data.update({f"m{i}": str(100 - i) for i in range(1, 13)})
    response = login(filed.office).post("/reports/settings/?year=2020", data)
    assert response.status_code == 400
    assert not YearSetting.objects.exists()


def test_it_keeps_settings_from_units(filed):
    assert login(filed.water_user).get("/reports/settings/").status_code == 403
