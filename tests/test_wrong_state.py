"""A step asked of a report, blocker or task that has already passed it — the second of two
clicks, or the slower of two people (issue 13 item 3): a message in the user's language on the
object's page (409 in the API), never an error page, and nothing recorded twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from blockers import services as blocker_services
from blockers.models import Blocker
from reports.models import MonthlyReport
from supervision import services as task_services
from supervision.models import SupervisionTask

from .conftest import login
from .report_builders import report

pytestmark = pytest.mark.usefixtures("pinned_today")


def said(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def action(world, name: str) -> str:
    return reverse("reports:action", args=[world.reservoir.pk, 2020, 9, name])


def test_it_answers_a_second_approval_with_a_message(world):
    report(world.reservoir, 9, "300.00", status="submitted", by=world.water_user)
    office = login(world.office)
    assert office.post(action(world, "approve")).status_code == 302
    second = office.post(action(world, "approve"))
    assert second.status_code == 302
    assert second["Location"] == reverse("reports:report", args=[world.reservoir.pk, 2020, 9])
    assert "已是" in said(second)  # "the report is already approved: who, when"
    stored = MonthlyReport.objects.get(project=world.reservoir, month=9)
    assert stored.status == "approved"
    assert list(stored.events.values_list("action", flat=True)).count("approved") == 1


@pytest.mark.parametrize(
    ("status", "step", "data"),
    [
        ("draft", "return", {"reason": "投资与进度不符"}),
        ("draft", "approve", {}),
        ("submitted", "submit", {}),
        ("submitted", "reopen", {"reason": "补充照片"}),
        ("approved", "return", {"reason": "投资与进度不符"}),
    ],
)
def test_it_answers_a_step_the_report_has_passed_with_a_message(world, status, step, data):
    report(world.reservoir, 9, "300.00", status=status, by=world.water_user)
    client = login(world.office)
    response = client.post(action(world, step), data)
    assert response.status_code == 302
    assert said(response)  # the message, in Chinese
    assert MonthlyReport.objects.get(project=world.reservoir, month=9).status == status
    page = client.get(response["Location"])
    assert page.status_code == 200


def test_the_api_answers_409_to_a_second_submit(world):
    report(world.reservoir, 9, "300.00", status="draft", by=world.water_user)
    stored = MonthlyReport.objects.get(project=world.reservoir, month=9)
    client = login(world.water_user)
    url = f"/api/v1/reports/{stored.pk}/submit"
    assert client.post(url, content_type="application/json").status_code == 200
    second = client.post(url, content_type="application/json")
    assert second.status_code == 409
    assert "已是" in second.json()["detail"]


def test_it_answers_a_second_resolve_of_a_blocker_with_a_message(world):
    blocker = blocker_services.blocker_raise(
        project=world.reservoir, by=world.water_user, kind="land", description="征地拆迁未完成"
    )
    unit = login(world.water_user)
    url = reverse("blockers:move", args=[blocker.pk])
    assert unit.post(url, {"to": "resolved", "note": ""}).status_code == 302
    second = unit.post(url, {"to": "resolved", "note": ""})
    assert second.status_code == 302
    assert "不能从" in said(second)
    blocker.refresh_from_db()
    assert blocker.status == Blocker.Status.RESOLVED
    assert blocker.events.filter(kind="status").count() == 1


def test_it_answers_closing_a_closed_blocker_and_escalating_it_with_messages(world):
    blocker = blocker_services.blocker_raise(
        project=world.reservoir, by=world.water_user, kind="land", description="征地拆迁未完成"
    )
    blocker_services.blocker_move(blocker=blocker, by=world.water_user, to="resolved")
    supervisor = login(world.supervisor)
    move = reverse("blockers:move", args=[blocker.pk])
    assert supervisor.post(move, {"to": "closed", "note": ""}).status_code == 302
    again = supervisor.post(move, {"to": "closed", "note": ""})
    assert again.status_code == 302 and said(again)
    escalate = supervisor.post(reverse("blockers:escalate", args=[blocker.pk]), {"level": "2", "reason": "x"})
    assert escalate.status_code == 302 and said(escalate)
    measures = supervisor.post(reverse("blockers:measures", args=[blocker.pk]), {"measures": "补充措施"})
    assert measures.status_code == 302 and "已销号" in said(measures)
    assert Blocker.objects.get(pk=blocker.pk).measures == ""


def test_it_answers_a_second_closure_of_a_task_and_a_second_report_with_messages(world):
    task = task_services.task_assign(
        region=world.county,
        title="完成征地补偿协议签订",
        assignee_unit=world.water,
        deadline=dt.date(2020, 10, 20),
        by=world.supervisor,
        project=world.reservoir,
    )
    unit, supervisor = login(world.water_user), login(world.supervisor)
    report_url = reverse("supervision:task_report", args=[task.pk])
    assert unit.post(report_url, {"text": "已全部签订"}).status_code == 302
    again = unit.post(report_url, {"text": "已全部签订"})
    assert again.status_code == 302 and "状态已变化" in said(again)
    verify = reverse("supervision:task_verify", args=[task.pk])
    assert supervisor.post(verify, {"text": "", "decision": "close"}).status_code == 302
    second = supervisor.post(verify, {"text": "", "decision": "close"})
    assert second.status_code == 302 and "状态已变化" in said(second)
    task = SupervisionTask.objects.get(pk=task.pk)
    assert task.status == SupervisionTask.Status.CLOSED
    assert task.feedback.filter(kind="closed").count() == 1
    assert task.feedback.filter(kind="reported").count() == 1


def test_it_still_refuses_a_step_the_user_may_never_take(world):
    task = task_services.task_assign(
        region=world.county,
        title="完成征地补偿协议签订",
        assignee_unit=world.water,
        deadline=dt.date(2020, 10, 20),
        by=world.supervisor,
        project=world.reservoir,
    )
    report_url = reverse("supervision:task_report", args=[task.pk])
    assert login(world.transport_user).post(report_url, {"text": "x"}).status_code in (403, 404)
