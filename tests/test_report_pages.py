"""The month table, reporting status, not-yet-started board, unit plans, settings and exports."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import openpyxl
import pytest
from django.utils import timezone

from reports.models import MonthlyReport, StartCommitment, YearSetting
from reports.services import commit_start

from .conftest import login
from .report_builders import report, set_plan, started

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def filed(world):
    started(world.reservoir)
    started(world.road)
    report(world.reservoir, 8, "1000.00")
    report(world.reservoir, 9, "1250.00", status="submitted")
    report(world.road, 9, "1000.00", status="returned", return_reason="数据有误")
    set_plan(world.bridge, start_month=6)
    return world


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


def test_it_shows_the_office_who_has_not_reported_and_who_was_late(filed):
    late = timezone.make_aware(dt.datetime(2020, 10, 8, 9, 0))
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
    assert response.context["deadline"] == dt.date(2020, 10, 5)


def test_it_keeps_the_reporting_status_from_units(filed):
    assert login(filed.water_user).get("/reports/status/").status_code == 403


def test_it_shows_a_unit_what_it_owes_on_its_home_page(filed):
    report(filed.bridge, 9, "1.00", status="draft")
    response = login(filed.transport_user).get("/")
    owed = {p.project.name for p in response.context["owed"]}
    assert owed == {"中和至平凯公路改造", "梅江河大桥"}
    assert [r.project.name for r in response.context["returned"]] == ["中和至平凯公路改造"]
    assert "数据有误" in response.content.decode()
    assert response.context["past_deadline"] is True


def test_it_shows_the_county_figures_on_the_home_page(filed):
    response = login(filed.viewer).get("/")
    fig = response.context["figures"]
    assert fig.ytd == D("2250.00")
    assert fig.lights == {"green": 1, "yellow": 0, "red": 2}


def test_it_lists_unstarted_projects_with_their_commitments_and_slips(filed):
    commit_start(project=filed.bridge, date=dt.date(2020, 9, 1), by=filed.transport_user, note="征地完成后")
    commit_start(project=filed.bridge, date=dt.date(2020, 11, 15), by=filed.office, source="县长办公会")
    response = login(filed.office).get("/reports/not-started/?year=2020&month=9")
    rows = response.context["rows"]
    assert [r.project.name for r in rows] == ["梅江河大桥"]
    row = rows[0]
    assert row.commitment.committed_date == dt.date(2020, 11, 15)
    assert [(m["old"], m["new"]) for m in row.moves] == [(dt.date(2020, 9, 1), dt.date(2020, 11, 15))]
    body = response.content.decode()
    assert "2020-09-01" in body and "2020-11-15" in body
    assert StartCommitment.objects.filter(project=filed.bridge, superseded=False).count() == 1


def test_it_lets_the_unit_commit_a_start_date_but_not_others(filed):
    url = f"/reports/not-started/{filed.bridge.pk}/commit/"
    assert login(filed.transport_user).post(url, {"committed_date": "2020-10-20"}).status_code == 302
    assert StartCommitment.objects.get(project=filed.bridge).committed_date == dt.date(2020, 10, 20)
    assert login(filed.water_user).post(url, {"committed_date": "2020-10-21"}).status_code == 404
    assert login(filed.viewer).post(url, {"committed_date": "2020-10-21"}).status_code == 403


def test_it_ranks_units_by_completion_rate(filed):
    response = login(filed.office).get("/reports/units/?year=2020&month=9")
    ranked = response.context["ranked"]
    assert [f.label for f in ranked] == ["县水利局", "县交通局"]
    assert ranked[0].rate == D("75.00")


def test_it_exports_the_month_and_the_ranking_to_excel(filed):
    client = login(filed.office)
    monthly = client.get("/reports/export.xlsx?year=2020&month=9")
    assert monthly["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(monthly.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "洪安水库工程" in values and D("2250.00") in [
        D(str(v)) for v in values if isinstance(v, (int, float))
    ]
    units = client.get("/reports/units.xlsx?year=2020&month=9")
    cells = [
        c
        for row in openpyxl.load_workbook(io.BytesIO(units.content)).active.iter_rows(values_only=True)
        for c in row
    ]
    assert "县水利局" in cells


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


def test_it_shows_a_projects_lights_month_by_month(filed):
    response = login(filed.office).get(f"/projects/{filed.bridge.pk}/")
    body = response.content.decode()
    assert 'id="light-history"' in body
    assert body.count('data-month="') == 9
    assert 'data-month="5" data-light="green"' in body
    assert 'data-month="6" data-light="yellow"' in body
    assert 'data-month="9" data-light="red"' in body
