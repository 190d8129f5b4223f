"""GET /api/v1/reports and POST /api/v1/reports, /reports/{id}/submit: a unit's own system files its
monthly reports under the web form's rules and the same workflow."""

from __future__ import annotations

import pytest
from django.test import Client

from reports.models import MonthlyReport, ReportEvent

from .conftest import login
from .report_builders import report

pytestmark = pytest.mark.django_db


def body(world, **fields) -> dict:
    data = {
        "project": world.reservoir.pk,
        "year": 2020,
        "month": 9,
        "amount": "120.50",
        "progress": "大坝浇筑",
    }
    data.update(fields)
    return data


def post(client: Client, url: str, data: dict | None = None):
    return client.post(url, data or {}, content_type="application/json")


def test_it_saves_a_draft_and_submits_it_through_the_workflow(world):
    water = login(world.water_user)
    saved = post(water, "/api/v1/reports", body(world))
    assert saved.status_code == 201
    data = saved.json()
    assert (data["amount"], data["status"], data["project"]["name"]) == ("120.50", "draft", "洪安水库工程")
    again = post(water, "/api/v1/reports", body(world, amount="130"))
    assert again.status_code == 200 and again.json()["amount"] == "130.00"
    submitted = post(water, f"/api/v1/reports/{data['id']}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    stored = MonthlyReport.objects.get()
    assert list(stored.events.values_list("action", flat=True).order_by("pk")) == [
        ReportEvent.Action.CREATED,
        ReportEvent.Action.SAVED,
        ReportEvent.Action.SUBMITTED,
    ]
    ytd = water.get("/api/v1/summary?year=2020&month=9").json()["ytd_investment"]
    assert ytd == "130.00"  # a submitted report counts in the figures at once


@pytest.mark.parametrize("amount", ["约3亿", "1e3", "three", "-5", "12.345"])
def test_it_refuses_what_the_web_form_refuses(world, amount):
    response = post(login(world.water_user), "/api/v1/reports", body(world, amount=amount))
    assert response.status_code == 400
    assert response.json()["detail"].startswith("amount: ")
    assert not MonthlyReport.objects.exists()


def test_it_answers_in_the_callers_language(world):
    client = login(world.water_user)
    chinese = post(client, "/api/v1/reports", body(world, amount="约3亿")).json()["detail"]
    english = client.post(
        "/api/v1/reports",
        body(world, amount="约3亿"),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    ).json()["detail"]
    assert chinese == "amount: 请用数字填写金额（万元），如1325.45或1,325.45。"
    assert english == "amount: Enter the amount in digits, e.g. 1325.45 or 1,325.45 (10k yuan)."


def test_it_applies_the_forms_cross_field_rules(world):
    response = post(login(world.water_user), "/api/v1/reports", body(world, started=True))
    assert response.status_code == 400 and "start_date" in response.json()["detail"]
    ok = post(login(world.water_user), "/api/v1/reports", body(world, started=True, start_date="2020-09-03"))
    assert ok.status_code == 201 and ok.json()["start_date"] == "2020-09-03"


def test_submitting_an_approved_report_is_a_conflict_not_an_error(world):
    approved = report(world.reservoir, 9, "100.00", status="approved", by=world.water_user)
    client = login(world.office)
    response = post(client, f"/api/v1/reports/{approved.pk}/submit")
    assert response.status_code == 409 and response.json()["detail"]
    locked = post(login(world.water_user), "/api/v1/reports", body(world))
    assert locked.status_code == 409
    assert MonthlyReport.objects.get().amount == 100  # unchanged


def test_a_refused_submit_saves_nothing(world):
    submitted = report(world.reservoir, 9, "100.00", status="submitted", by=world.water_user)
    response = post(login(world.office), "/api/v1/reports", body(world, amount="999", submit=True))
    assert response.status_code == 409
    submitted.refresh_from_db()
    assert submitted.amount == 100


def test_only_the_lead_unit_or_the_office_files(world):
    # the road is transport's; water only cooperates on it
    for user, status in (
        (world.water_user, 403),
        (world.viewer, 403),
        (world.leader_user, 404),
        (world.outsider, 404),
        (world.transport_user, 201),
    ):
        response = post(login(user), "/api/v1/reports", body(world, project=world.road.pk))
        assert response.status_code == status, user.username
        assert "detail" in response.json() or status == 201


def test_a_sessions_write_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.water_user)
    assert post(client, "/api/v1/reports", body(world)).status_code == 403
    client.get("/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/reports", body(world), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201


def test_it_lists_reports_by_month_and_by_project_in_scope(world):
    report(world.reservoir, 8, "50.00", by=world.water_user)
    report(world.reservoir, 9, "60.00", by=world.water_user)
    report(world.bridge, 9, "70.00", by=world.transport_user)
    report(world.far, 9, "80.00", by=world.outsider)
    water = login(world.water_user)
    month = water.get("/api/v1/reports?year=2020&month=9").json()
    assert month["count"] == 1 and month["results"][0]["amount"] == "60.00"
    office = login(world.office).get("/api/v1/reports?year=2020&month=9").json()
    assert sorted(r["project"]["name"] for r in office["results"]) == ["梅江河大桥", "洪安水库工程"]
    by_project = water.get(f"/api/v1/reports?project={world.reservoir.pk}").json()
    assert [r["month"] for r in by_project["results"]] == [9, 8]
    assert water.get(f"/api/v1/reports?project={world.bridge.pk}").status_code == 404
    one = by_project["results"][0]["id"]
    assert water.get(f"/api/v1/reports/{one}").json()["month"] == 9
    bridge_report = MonthlyReport.objects.get(project=world.bridge).pk
    assert water.get(f"/api/v1/reports/{bridge_report}").status_code == 404


def test_it_pages_the_list(world):
    for month in range(1, 8):
        report(world.reservoir, month, "10.00", by=world.water_user)
    client = login(world.office)
    page = client.get("/api/v1/reports?page=2&page_size=3").json()
    assert page["count"] == 7 and [r["month"] for r in page["results"]] == [4, 3, 2]
    assert client.get("/api/v1/reports?page=9&page_size=3").json() == {"count": 7, "results": []}
