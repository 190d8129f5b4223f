"""The reporting status (/reports/status/): who has not reported, who was late; the office's only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from reports.models import MonthlyReport

from .conftest import login
from .page_builders import file_september

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def filed(world):
    return file_september(world)


def test_it_shows_the_office_who_has_not_reported_and_who_was_late(filed):
    # Due on 5 October, in the National Day holiday: the deadline is Friday the 9th; the 10th is late.
    late = timezone.make_aware(dt.datetime(2020, 10, 10, 9, 0))
    MonthlyReport.objects.filter(project=filed.reservoir, month=9).update(first_submitted_at=late)
    response = login(filed.office).get("/reports/status/?year=2020&month=9")
    assert response.status_code == 200
    units = {u["unit"].name: u for u in response.context["units"]}
    assert [r.project.name for r in units["县水利局"]["late"]] == ["洪安水库工程"]
    assert {r.project.name for r in units["县交通局"]["missing"] + units["县交通局"]["returned"]} == {
        "中和至平凯公路改造",
        "梅江河大桥",
    }
    assert response.context["missing_total"] == 2
    assert response.context["deadline"] == dt.date(2020, 10, 9)


def test_it_keeps_the_reporting_status_from_units(filed):
    assert login(filed.water_user).get("/reports/status/").status_code == 403
