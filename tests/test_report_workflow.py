"""Filing, submitting, returning, approving and reopening a monthly report, and who may do what."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from projects.models import Project
from reports.figures import month_plans
from reports.models import MonthlyReport, ReportEvent

from .conftest import login

pytestmark = pytest.mark.django_db

URL = "/reports/{pk}/2020/9/"
FORM = {
    "amount": "300.00",
    "progress": "大坝填筑完成60%",
    "completion_pct": "45",
    "workers": "80",
    "problems": "",
}


def file(client, project, submit=True, **data):
    body = {**FORM, **data}
    if submit:
        body["submit"] = "1"
    return client.post(URL.format(pk=project.pk), body)


def the_report(project) -> MonthlyReport:
    return MonthlyReport.objects.get(project=project, year=2020, month=9)


def test_it_lets_the_lead_unit_file_and_submit_a_report(world):
    response = file(login(world.water_user), world.reservoir)
    assert response.status_code == 302
    report = the_report(world.reservoir)
    assert report.status == "submitted"
    assert report.amount == D("300.00")
    assert [e.action for e in report.events.all()] == ["created", "submitted"]
    assert report.events.last().by == world.water_user


def test_it_keeps_a_draft_out_of_the_figures_until_submitted(world):
    client = login(world.water_user)
    file(client, world.reservoir, submit=False)
    assert the_report(world.reservoir).status == "draft"
    assert month_plans(world.office, year=2020, month=9).figures().ytd == D("0.00")
    client.post(URL.format(pk=world.reservoir.pk) + "submit/")
    assert month_plans(world.office, year=2020, month=9).figures().ytd == D("300.00")


def test_it_refuses_a_unit_approving_its_own_report(world):
    client = login(world.water_user)
    file(client, world.reservoir)
    response = client.post(URL.format(pk=world.reservoir.pk) + "approve/")
    assert response.status_code == 403
    assert the_report(world.reservoir).status == "submitted"


def test_it_returns_a_report_with_its_reason_and_takes_it_back_resubmitted(world):
    file(login(world.water_user), world.reservoir)
    office = login(world.office)
    response = office.post(
        URL.format(pk=world.reservoir.pk) + "return/", {"reason": "本月投资与形象进度不符"}
    )
    assert response.status_code == 302
    report = the_report(world.reservoir)
    assert report.status == "returned"
    assert report.return_reason == "本月投资与形象进度不符"
    page = login(world.water_user).get(URL.format(pk=world.reservoir.pk)).content.decode()
    assert "本月投资与形象进度不符" in page
    file(login(world.water_user), world.reservoir, amount="250.00")
    report = the_report(world.reservoir)
    assert (report.status, report.amount) == ("submitted", D("250.00"))
    actions = list(report.events.values_list("action", "reason"))
    assert ("returned", "本月投资与形象进度不符") in actions
    assert actions[-1] == ("resubmitted", "")


def test_it_refuses_a_return_without_a_reason(world):
    file(login(world.water_user), world.reservoir)
    response = login(world.office).post(URL.format(pk=world.reservoir.pk) + "return/", {"reason": " "})
    assert response.status_code == 400
    assert the_report(world.reservoir).status == "submitted"


def test_it_locks_an_approved_report_for_the_unit(world):
    client = login(world.water_user)
    file(client, world.reservoir)
    login(world.office).post(URL.format(pk=world.reservoir.pk) + "approve/")
    assert the_report(world.reservoir).status == "approved"
    response = file(client, world.reservoir, amount="999.00")
    assert response.status_code == 403
    assert the_report(world.reservoir).amount == D("300.00")
    assert 'id="report-form"' not in client.get(URL.format(pk=world.reservoir.pk)).content.decode()


def test_it_records_the_office_reopening_an_approved_report(world):
    file(login(world.water_user), world.reservoir)
    office = login(world.office)
    office.post(URL.format(pk=world.reservoir.pk) + "approve/")
    response = office.post(URL.format(pk=world.reservoir.pk) + "reopen/", {"reason": "补充现场照片"})
    assert response.status_code == 302
    report = the_report(world.reservoir)
    assert report.status == "returned"
    event = report.events.last()
    assert (event.action, event.reason, event.by) == ("reopened", "补充现场照片", world.office)
    assert file(login(world.water_user), world.reservoir, amount="320.00").status_code == 302


def test_it_refuses_another_units_project_with_404(world):
    client = login(world.water_user)
    assert client.get(URL.format(pk=world.bridge.pk)).status_code == 404
    assert file(client, world.bridge).status_code == 404
    assert file(login(world.outsider), world.reservoir).status_code == 404
    assert not MonthlyReport.objects.exists()


def test_it_lets_a_cooperating_unit_read_but_not_file(world):
    client = login(world.water_user)  # water cooperates on the road
    assert client.get(URL.format(pk=world.road.pk)).status_code == 200
    assert file(client, world.road).status_code == 403


@pytest.mark.parametrize("who", ["viewer", "supervisor", "leader_user"])
def test_it_refuses_readers_posting(world, who):
    assert file(login(getattr(world, who)), world.reservoir).status_code == 403


def test_it_lets_the_office_file_for_a_unit(world):
    assert file(login(world.office), world.bridge).status_code == 302
    assert the_report(world.bridge).created_by == world.office


def test_it_sets_the_actual_start_when_a_started_report_is_approved(world):
    file(login(world.transport_user), world.bridge, started="on", start_date="2020-09-12")
    assert Project.objects.get(pk=world.bridge.pk).actual_start is None
    login(world.office).post(URL.format(pk=world.bridge.pk) + "approve/")
    bridge = Project.objects.get(pk=world.bridge.pk)
    assert str(bridge.actual_start) == "2020-09-12"
    assert bridge.status == Project.Status.UNDER_CONSTRUCTION


def test_it_shows_errors_next_to_fields_and_saves_nothing(world):
    response = file(login(world.water_user), world.reservoir, amount="-5", started="on", start_date="")
    assert response.status_code == 400
    form = response.context["form"]
    assert "amount" in form.errors and "start_date" in form.errors
    assert not MonthlyReport.objects.exists()
    assert not ReportEvent.objects.exists()


def test_it_refuses_a_third_decimal_place(world):
    response = file(login(world.water_user), world.reservoir, amount="1.005")
    assert response.status_code == 400
    assert "amount" in response.context["form"].errors


def test_it_updates_the_derived_ytd_after_an_earlier_month_is_corrected(world):
    water, office = login(world.water_user), login(world.office)
    for month, amount in [(7, "100.00"), (8, "200.00"), (9, "300.00")]:
        water.post(f"/reports/{world.reservoir.pk}/2020/{month}/", {**FORM, "amount": amount, "submit": "1"})
        office.post(f"/reports/{world.reservoir.pk}/2020/{month}/approve/")
    page = office.get(URL.format(pk=world.reservoir.pk))
    assert page.context["row"].ytd == D("600.00")
    office.post(f"/reports/{world.reservoir.pk}/2020/7/reopen/", {"reason": "7月数据有误"})
    water.post(f"/reports/{world.reservoir.pk}/2020/7/", {**FORM, "amount": "150.00", "submit": "1"})
    assert office.get(URL.format(pk=world.reservoir.pk)).context["row"].ytd == D("650.00")
    assert month_plans(world.office, year=2020, month=9).figures().ytd == D("650.00")
    assert month_plans(world.office, year=2020, month=8).figures().ytd == D("350.00")
