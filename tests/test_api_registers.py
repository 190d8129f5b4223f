"""GET /api/v1/blockers, /tasks and /meetings: each scoped like its register page."""

from __future__ import annotations

import datetime as dt

import pytest

from blockers.models import Blocker
from meetings.models import Decision, Meeting
from supervision.models import SupervisionTask

from .conftest import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def registers(world):
    for project, unit, kind in (
        (world.reservoir, world.water, "land"),
        (world.bridge, world.transport, "funds"),
        (world.far, world.other_unit, "approvals"),
    ):
        Blocker.objects.create(
            project=project,
            kind=kind,
            description=f"{project.name}的卡点",
            lead_unit=unit,
            deadline=dt.date(2020, 9, 30),
        )
        SupervisionTask.objects.create(
            region=project.region,
            project=project,
            title=f"{project.name}督办",
            assignee_unit=unit,
            deadline=dt.date(2020, 12, 31),
        )
    meeting = Meeting.objects.create(region=world.county, title="县长办公会", date=dt.date(2020, 10, 11))
    meeting.projects.add(world.reservoir, world.bridge)
    Decision.objects.create(meeting=meeting, number=1, text="水库征地10月底前完成", project=world.reservoir)
    Decision.objects.create(meeting=meeting, number=2, text="大桥资金由财政局落实", project=world.bridge)
    Decision.objects.create(meeting=meeting, number=3, text="各单位按序时推进")
    return world


def test_blockers_are_scoped_and_say_what_is_overdue(registers):
    water = login(registers.water_user).get("/api/v1/blockers").json()
    assert [b["project"]["name"] for b in water["results"]] == ["洪安水库工程"]
    assert water["results"][0]["overdue"] is True and water["results"][0]["kind"] == "land"
    office = login(registers.office).get("/api/v1/blockers?kind=funds").json()
    assert office["count"] == 1 and office["results"][0]["project"]["name"] == "梅江河大桥"
    assert login(registers.outsider).get("/api/v1/blockers").json()["count"] == 1


def test_tasks_are_scoped_to_the_units_own(registers):
    water = login(registers.water_user).get("/api/v1/tasks").json()
    assert [t["title"] for t in water["results"]] == ["洪安水库工程督办"]
    office = login(registers.office).get("/api/v1/tasks?overdue=false").json()
    assert office["count"] == 2


def test_a_unit_reads_its_part_of_a_meeting(registers):
    whole = login(registers.office).get("/api/v1/meetings").json()["results"][0]
    assert [d["number"] for d in whole["decisions"]] == [1, 2, 3]
    part = login(registers.water_user).get("/api/v1/meetings").json()["results"][0]
    assert [d["number"] for d in part["decisions"]] == [1, 3]
    assert [p["name"] for p in part["projects"]] == ["洪安水库工程"]
    assert login(registers.outsider).get("/api/v1/meetings").json() == {"count": 0, "results": []}
