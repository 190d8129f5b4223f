"""The demo county's lifecycle walked through the pages (test client), every notice delivered as the
queue would after each request: a report filed, returned, resubmitted and approved; a blocker raised,
escalated and decided at a meeting with a task; the task reported, sent back, done and verified; the
committed start moved. Then each of the seven demo users holds exactly what concerns them."""

from __future__ import annotations

import pytest
from django.db.models import Count

from accounts.models import User
from blockers.models import Blocker
from meetings.models import Meeting
from notifications.models import Notification
from projects.models import Project
from supervision.models import SupervisionTask

from .conftest import login

pytestmark = pytest.mark.django_db

REPORT = {"amount": "120.00", "progress": "主体施工", "completion_pct": "60", "workers": "40", "problems": ""}


def kinds(username: str) -> list[str]:
    return sorted(Notification.objects.filter(user__username=username).values_list("kind", flat=True))


@pytest.fixture
def walk(demo, django_capture_on_commit_callbacks):
    """`walk(client, url, data)` posts as a user would and delivers what the request queued."""

    def post(client, url: str, data: dict | None = None):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data or {})
        assert response.status_code in (200, 302, 400), (url, response.status_code)
        if response.status_code == 200:
            assert "invalid-feedback" not in response.content.decode(), url
        elif response.status_code == 400:
            raise AssertionError(response.content.decode()[:3000])
        return response

    return post


def test_every_demo_user_hears_what_concerns_them(walk):
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["office", "supervisor", "leader", "viewer", "water", "transport", "hongan"]
        )
    }
    Notification.objects.all().delete()
    water, leader = users["water"], users["leader"]
    # A water project in the leader's charge, with no cooperating unit and not built in 洪安镇 (whose
    # township government would see it): exactly water, the leader and the county's office concern it.
    project = (
        Project.objects.for_user(water)
        .filter(lead_unit=water.unit, leader=leader.leader)
        .annotate(n_coop=Count("cooperating_units"))
        .filter(n_coop=0)
        .exclude(townships=users["hongan"].unit.township)
        .exclude(actual_start=None)
        .order_by("pk")
        .first()
    )
    assert project is not None
    unit, office, supervisor = login(water), login(users["office"]), login(users["supervisor"])
    report = f"/reports/{project.pk}/2020/10/"
    started = {"started": "on", "start_date": project.actual_start.isoformat()}

    walk(unit, report, {**REPORT, **started, "submit": "1"})
    walk(office, report + "return/", {"reason": "投资与进度不符"})
    walk(unit, report, {**REPORT, **started, "amount": "100.00", "submit": "1"})
    walk(office, report + "approve/")
    assert kinds("office") == ["report", "report"]  # submitted, resubmitted
    assert kinds("water") == ["report", "report"]  # returned, approved

    walk(
        office,
        "/blockers/new/",
        {
            "project": project.pk,
            "kind": "land",
            "description": "演示：征地拆迁未完成",
            "lead_unit": water.unit_id,
            "leader": leader.leader_id,
        },
    )
    blocker = Blocker.objects.get(description="演示：征地拆迁未完成")
    walk(
        office,
        f"/blockers/{blocker.pk}/escalate/",
        {"level": Blocker.Level.MEETING, "reason": "需县长办公会研究"},
    )
    meeting = Meeting.objects.filter(region=users["office"].region).order_by("-date").first()
    walk(
        office,
        f"/meetings/{meeting.pk}/decisions/",
        {
            "text": "由县水利局牵头完成征地",
            "blocker": blocker.pk,
            "task_title": "完成征地协议签订",
            "task_unit": water.unit_id,
            "task_deadline": "2020-11-30",
        },
    )
    task = SupervisionTask.objects.get(title="完成征地协议签订")
    walk(unit, f"/supervision/tasks/{task.pk}/report/", {"text": "已签订"})
    walk(supervisor, f"/supervision/tasks/{task.pk}/verify/", {"decision": "send_back", "text": "缺两户协议"})
    walk(unit, f"/supervision/tasks/{task.pk}/report/", {"text": "补签完成"})
    walk(supervisor, f"/supervision/tasks/{task.pk}/verify/", {"decision": "close", "text": "核实无误"})
    walk(unit, f"/reports/not-started/{project.pk}/commit/", {"committed_date": "2020-11-15"})
    walk(
        unit,
        f"/reports/not-started/{project.pk}/commit/",
        {"committed_date": "2020-12-01", "note": "征地延后"},
    )

    # Water: returned, approved; raised, escalated; the decision; the task assigned, sent back, verified
    # (not its own commitment, nor its own reports of the task done).
    assert kinds("water") == sorted(["report"] * 2 + ["blocker"] * 2 + ["decision"] + ["task"] * 3)
    assert kinds("leader") == sorted(["blocker"] * 2 + ["decision", "commitment"])
    assert kinds("office") == sorted(["report"] * 2 + ["commitment"])
    assert kinds("supervisor") == ["task"] * 3  # assigned, reported done twice
    for nobody in ("viewer", "transport", "hongan"):
        assert kinds(nobody) == [], nobody
    # Each notice opens its object for its reader.
    for n in Notification.objects.filter(user=water):
        assert login(water).get(n.url).status_code == 200, n.url
