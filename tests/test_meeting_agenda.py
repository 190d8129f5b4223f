"""Issue 11 item 9 in meetings: the decision form offers the meeting's agenda first, and a blocker's
timeline records being put on an agenda and being decided, with a link to the meeting."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from blockers.models import Blocker, BlockerEvent
from blockers.services import blocker_raise
from meetings.models import Meeting
from meetings.services import decision_add

from .conftest import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def meeting(world):
    m = Meeting.objects.create(
        region=world.county, title="县长办公会", date=dt.date(2020, 10, 11), chair=world.leader
    )
    m.projects.add(world.reservoir)
    return m


@pytest.fixture
def blockers(world):
    return {
        name: blocker_raise(project=project, by=world.office, kind=kind, description=name)
        for name, project, kind in (
            ("移民安置", world.reservoir, "land"),
            ("资金缺口", world.bridge, "funds"),
        )
    }


def optgroups(html: str, select: str) -> list[tuple[str, list[str]]]:
    body = re.search(rf'<select name="{select}".*?</select>', html, re.S).group(0)
    return [
        (label, re.findall(r"<option[^>]*>(.*?)</option>", options))
        for label, options in re.findall(r'<optgroup label="(.*?)">(.*?)</optgroup>', body, re.S)
    ]


def test_it_offers_the_agenda_first_and_the_rest_after(world, meeting, blockers):
    meeting.blockers.add(blockers["移民安置"])
    html = login(world.office).get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    projects = optgroups(html, "project")
    assert projects[0] == ("会议研究事项", [str(world.reservoir)])
    assert projects[1][0] == "其他项目" and str(world.bridge) in projects[1][1]
    assert str(world.reservoir) not in projects[1][1] and str(world.far) not in projects[1][1]
    listed = optgroups(html, "blocker")
    assert [label for label, _options in listed] == ["会议研究事项", "其他卡点"]
    assert len(listed[0][1]) == 1 and world.reservoir.name in listed[0][1][0]
    assert len(listed[1][1]) == 1 and world.bridge.name in listed[1][1][0]


def test_it_still_accepts_a_project_off_the_agenda(world, meeting):
    response = login(world.office).post(
        reverse("meetings:decision_create", args=[meeting.pk]),
        {"text": "大桥资金由财政局落实", "project": world.bridge.pk},
    )
    assert response.status_code == 302
    assert meeting.decisions.get().project == world.bridge


def test_it_offers_one_plain_list_when_the_agenda_is_empty(world, blockers):
    bare = Meeting.objects.create(region=world.county, title="专题调度会", chair=world.leader)
    html = login(world.office).get(reverse("meetings:detail", args=[bare.pk])).content.decode()
    assert optgroups(html, "project") == [] and world.bridge.name in html


def test_it_records_on_the_timeline_the_agenda_and_the_decision_with_the_meeting(world, meeting, blockers):
    blocker = blockers["移民安置"]
    decision_add(meeting=meeting, by=world.office, text="县水利局牵头，10月底前完成移民安置", blocker=blocker)
    events = list(blocker.events.values_list("kind", "text"))
    assert events[-2:] == [("agenda", ""), ("decided", "县水利局牵头，10月底前完成移民安置")]
    html = login(world.water_user).get(reverse("blockers:detail", args=[blocker.pk])).content.decode()
    timeline = re.search(r'<ol[^>]*id="timeline".*?</ol>', html, re.S).group(0)
    link = reverse("meetings:detail", args=[meeting.pk])
    assert timeline.count(f'href="{link}"') == 2
    assert "列入会议议题" in timeline and "会议决定" in timeline


def test_it_writes_no_second_agenda_line_for_a_blocker_already_there(world, meeting, blockers):
    blocker = blockers["移民安置"]
    meeting.blockers.add(blocker)
    decision_add(meeting=meeting, by=world.office, text="第一项", blocker=blocker)
    decision_add(meeting=meeting, by=world.office, text="第二项", blocker=blocker)
    kinds = list(blocker.events.values_list("kind", flat=True))
    assert kinds.count(BlockerEvent.Kind.AGENDA) == 0 and kinds.count(BlockerEvent.Kind.DECIDED) == 2


def test_it_records_the_blockers_a_saved_meeting_puts_on_its_agenda(world, blockers):
    blocker = blockers["资金缺口"]
    Blocker.objects.filter(pk=blocker.pk).update(level=Blocker.Level.MEETING)
    response = login(world.office).post(
        reverse("meetings:create"),
        {
            "type": "executive",
            "title": "县长办公会",
            "date": "2020-10-11",
            "chair": world.leader.pk,
            "blockers": [blocker.pk],
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    event = blocker.events.get(kind=BlockerEvent.Kind.AGENDA)
    assert event.meeting_link.meeting == meeting and event.by == world.office
    login(world.office).post(
        reverse("meetings:edit", args=[meeting.pk]),
        {"type": "executive", "title": "县长办公会", "date": "2020-10-11", "blockers": [blocker.pk]},
    )
    assert blocker.events.filter(kind=BlockerEvent.Kind.AGENDA).count() == 1


def test_the_demo_records_its_meetings_on_the_blockers_timelines(demo):
    meeting = Meeting.objects.get(type=Meeting.Type.EXECUTIVE)
    blocker = meeting.blockers.filter(decisions__meeting=meeting).first()
    lines = blocker.events.filter(meeting_link__meeting=meeting).values_list("kind", flat=True)
    assert list(lines) == [BlockerEvent.Kind.AGENDA, BlockerEvent.Kind.DECIDED]
