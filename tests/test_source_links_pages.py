"""The pages read where a blocker or a task came from through the links the higher apps hold
(supervision.InspectionBlocker, meetings.RaisedBlocker, meetings.DecisionTask)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from blockers.models import Blocker
from blockers.services import blocker_raise
from meetings.models import Meeting, RaisedBlocker
from meetings.services import decision_add
from supervision.models import Inspection
from supervision.services import inspection_record

from .conftest import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


def test_it_links_a_blocker_to_the_inspection_that_raised_it(world):
    inspection = inspection_record(
        project=world.reservoir,
        by=world.supervisor,
        date=dt.date(2020, 10, 9),
        findings="征地拆迁未完成",
        follow_up=Inspection.FollowUp.BLOCKER,
        blocker_kind="land",
    )
    blocker = Blocker.objects.get()
    html = login(world.office).get(reverse("blockers:detail", args=[blocker.pk])).content.decode()
    source = re.search(r"来源</dt><dd[^>]*>(.*?)</dd>", html).group(1)
    assert reverse("supervision:inspection", args=[inspection.pk]) in source and "2020-10-09" in source
    page = login(world.supervisor).get(reverse("supervision:inspection", args=[inspection.pk]))
    assert list(page.context["blockers"]) == [blocker]


def test_it_links_a_blocker_to_the_meeting_it_was_raised_at(world):
    meeting = Meeting.objects.create(
        region=world.county, title="专题调度会", date=dt.date(2020, 9, 15), chair=world.leader
    )
    blocker = blocker_raise(
        project=world.reservoir, by=world.office, kind="funds", description="资金缺口", source="meeting"
    )
    RaisedBlocker.objects.create(meeting=meeting, blocker=blocker)
    html = login(world.office).get(reverse("blockers:detail", args=[blocker.pk])).content.decode()
    assert reverse("meetings:detail", args=[meeting.pk]) in html


def test_it_links_a_task_to_the_meeting_of_its_decision(world):
    meeting = Meeting.objects.create(
        region=world.county, title="县长办公会", date=dt.date(2020, 10, 11), chair=world.leader
    )
    decision = decision_add(
        meeting=meeting,
        by=world.office,
        text="水利局牵头完成移民安置",
        project=world.reservoir,
        task_title="完成移民安置",
        task_deadline=dt.date(2020, 10, 31),
    )
    task = decision.tasks.get()
    html = login(world.water_user).get(reverse("supervision:task", args=[task.pk])).content.decode()
    assert reverse("meetings:detail", args=[meeting.pk]) in html and "县长办公会" in html
    api = login(world.office).get("/api/v1/meetings").json()["results"][0]
    assert api["decisions"][0]["tasks"] == [task.pk]


def test_it_shows_no_source_link_for_a_blocker_raised_on_the_project(world):
    blocker = blocker_raise(
        project=world.bridge, by=world.transport_user, kind="funds", description="资金缺口"
    )
    html = login(world.office).get(reverse("blockers:detail", args=[blocker.pk])).content.decode()
    source = re.search(r"来源</dt><dd[^>]*>(.*?)</dd>", html).group(1)
    assert source.strip() == "项目"
