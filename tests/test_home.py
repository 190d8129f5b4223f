"""The home page by role: a unit what it owes; a leader the red-lit projects in their charge, blockers
escalated to them awaiting a decision and overdue tasks; the county head the county with its red list;
the office the approval queue, missing reports and blockers awaiting the meeting; the supervision
office overdue tasks. Nobody sees another's list or anything out of scope."""

from __future__ import annotations

import datetime as dt

import pytest

from blockers.models import Blocker
from supervision.models import SupervisionTask

from . import factories as f
from .blocker_builders import at
from .conftest import login
from .report_builders import report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


def escalated(project, *, level: int, leader=None, description: str) -> Blocker:
    return Blocker.objects.create(
        project=project,
        kind=Blocker.Kind.LAND,
        description=description,
        lead_unit=project.lead_unit,
        leader=leader,
        level=level,
        raised_at=at(dt.date(2020, 9, 1)),
        deadline=dt.date(2020, 10, 20),
    )


@pytest.fixture
def home(reported):
    """reported (reservoir green, road and bridge red), with the road in the leader's charge too;
    blockers escalated to the leader and to the meeting; an overdue task on the road and one on the
    other county's project; the bridge's August report waiting for approval."""
    reported.road.leader = reported.leader
    reported.road.save()
    other_leader = f.leader(reported.county, "分管城建的副县长")
    escalated(
        reported.road, level=Blocker.Level.LEADER, leader=reported.leader, description="征地补偿标准待定"
    )
    escalated(reported.bridge, level=Blocker.Level.LEADER, leader=other_leader, description="桥位调整")
    escalated(
        reported.reservoir,
        level=Blocker.Level.MEETING,
        leader=reported.leader,
        description="移民安置资金缺口",
    )
    for project, title in ((reported.road, "完成路基征地"), (reported.far, "外县事项")):
        SupervisionTask.objects.create(
            region=project.region,
            project=project,
            title=title,
            assignee_unit=project.lead_unit,
            deadline=dt.date(2020, 10, 1),
            created_at=at(dt.date(2020, 9, 1)),
        )
    reported.queued = report(reported.bridge, 8, "50.00", status="submitted", by=reported.transport_user)
    return reported


def page(user) -> tuple[dict, str]:
    response = login(user).get("/")
    assert response.status_code == 200
    return response.context, response.content.decode()


def test_it_shows_a_leader_the_red_projects_in_their_charge_their_blockers_and_overdue_tasks(home):
    context, html = page(home.leader_user)
    assert [p["name"] for p in context["red"]["items"]] == ["中和至平凯公路改造"]  # not the bridge
    assert "您分管的红灯项目（1个）" in html
    assert [b.description for b in context["escalated"]] == ["征地补偿标准待定"]
    assert "移民安置资金缺口" not in html  # at the meeting, not with the leader
    assert [t.title for t in context["overdue_tasks"]] == ["完成路基征地"]
    assert 'id="approval-queue"' not in html


def test_it_shows_the_county_head_the_county_and_its_red_list(home):
    context, html = page(home.viewer)
    assert context["figures"].projects == 3
    assert context["red"]["count"] == 2
    assert [p["name"] for p in context["red"]["items"]] == [
        "梅江河大桥",
        "中和至平凯公路改造",
    ]  # 0 %, then 45 %
    assert "红灯名单：2个红灯项目" in html and "?year=2020&amp;month=9&amp;light=red" in html
    assert 'id="approval-queue"' not in html and 'id="escalated"' not in html


def test_it_shows_the_office_its_approval_queue_missing_reports_and_the_meetings_blockers(home):
    context, html = page(home.office)
    assert context["queue_count"] == 1 and [r.pk for r in context["queue"]] == [home.queued.pk]
    assert f'href="/reports/{home.bridge.pk}/2020/8/#review"' in html
    assert 'href="/reports/?status=submitted"' in html
    assert context["missing_count"] == 1 and [p.project.name for p in context["missing"]] == ["梅江河大桥"]
    assert [b.description for b in context["awaiting_meeting"]] == ["移民安置资金缺口"]
    assert 'id="red-list"' not in html and 'id="escalated"' not in html


def test_it_shows_the_supervision_office_the_overdue_tasks_of_its_county(home):
    context, html = page(home.supervisor)
    assert [t.title for t in context["overdue_tasks"]] == ["完成路基征地"]
    assert "外县事项" not in html and "逾期督办事项（1项）" in html


def test_it_shows_a_unit_what_it_owes_and_nothing_of_the_office(home):
    context, html = page(home.transport_user)
    assert [p.project.name for p in context["owed"]] == ["梅江河大桥"]
    assert [t.title for t in context["my_tasks"]] == ["完成路基征地"]
    for section in ('id="approval-queue"', 'id="red-list"', 'id="escalated"', 'id="overdue-tasks"'):
        assert section not in html
