"""Meetings: agenda, decisions that create tasks and set committed starts, minutes (page and .docx), scoping."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from blockers import services as blocker_services
from blockers.models import Blocker
from meetings.models import Meeting
from meetings.services import decision_add
from supervision.models import SupervisionTask

from .conftest import login


@pytest.fixture
def meeting(world):
    m = Meeting.objects.create(
        region=world.county,
        type=Meeting.Type.EXECUTIVE,
        title="县长办公会",
        date=dt.date(2020, 10, 11),
        chair=world.leader,
    )
    m.attending_units.set([world.water])
    return m


@pytest.fixture
def blocker(world):
    b = blocker_services.blocker_raise(
        project=world.reservoir, by=world.water_user, kind="land", description="移民安置"
    )
    blocker_services.blocker_escalate(
        blocker=b, by=world.leader_user, level=Blocker.Level.MEETING, reason="需决策"
    )
    return b


def test_it_records_a_decision_that_creates_a_task_and_puts_the_blocker_on_the_agenda(
    world, meeting, blocker
):
    d = decision_add(
        meeting=meeting,
        by=world.office,
        text="由县水利局牵头，10月底前完成移民安置",
        blocker=blocker,
        task_title="完成移民安置",
        task_deadline=dt.date(2020, 10, 31),
    )
    task = SupervisionTask.objects.get(source_decision_link__decision=d)
    assert (task.assignee_unit, task.source, task.blocker, task.project) == (
        world.water,
        "decision",
        blocker,
        world.reservoir,
    )
    assert list(meeting.blockers.all()) == [blocker] and list(meeting.projects.all()) == [world.reservoir]
    assert d.number == 1
    assert decision_add(meeting=meeting, by=world.office, text="第二项").number == 2


def test_it_sets_the_committed_start_through_the_reports_app(world, meeting):
    from reports.models import StartCommitment

    decision_add(
        meeting=meeting,
        by=world.office,
        text="11月15日前开工",
        project=world.bridge,
        committed_start=dt.date(2020, 11, 15),
    )
    commitment = StartCommitment.objects.get(project=world.bridge, superseded=False)
    assert commitment.committed_date == dt.date(2020, 11, 15)


def test_it_lets_only_the_office_record_decisions(world, meeting):
    for user in (world.supervisor, world.water_user, world.leader_user, world.viewer):
        with pytest.raises(PermissionDenied):
            decision_add(meeting=meeting, by=user, text="x")
    response = login(world.viewer).post(reverse("meetings:decision_create", args=[meeting.pk]), {"text": "x"})
    assert response.status_code == 403


def test_it_saves_nothing_when_a_task_lacks_its_deadline(world, meeting):
    response = login(world.office).post(
        reverse("meetings:decision_create", args=[meeting.pk]), {"text": "决定", "task_title": "做某事"}
    )
    assert response.status_code == 400 and "task_deadline" in response.context["decision_form"].errors
    assert not meeting.decisions.exists()


def test_it_scopes_meetings_for_every_role(world, meeting):
    other = Meeting.objects.create(region=world.county, title="交通专题调度会", type="dispatch")
    other.projects.set([world.bridge])
    far = Meeting.objects.create(region=world.other_county, title="酉阳县长办公会")

    def seen(user):
        return set(Meeting.objects.for_user(user).values_list("title", flat=True))

    assert (
        seen(world.office) == seen(world.supervisor) == seen(world.viewer) == {"县长办公会", "交通专题调度会"}
    )
    assert seen(world.water_user) == {"县长办公会"}  # attended
    assert seen(world.transport_user) == {"交通专题调度会"}  # its project on the agenda
    assert seen(world.leader_user) == {"县长办公会"}  # chaired
    assert seen(world.outsider) == {"酉阳县长办公会"}
    assert login(world.water_user).get(reverse("meetings:detail", args=[other.pk])).status_code == 404
    assert login(world.office).get(reverse("meetings:detail", args=[far.pk])).status_code == 404


def test_it_prints_minutes_and_writes_them_as_docx(world, meeting, blocker):
    decision_add(
        meeting=meeting,
        by=world.office,
        text="限期完成移民安置",
        blocker=blocker,
        task_title="完成移民安置",
        task_deadline=dt.date(2020, 10, 31),
    )
    client = login(world.leader_user)
    html = client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    assert (
        "限期完成移民安置" in html and "minutes.css" in html and "data-print" in html
    )  # the print button (static/js/keyproj.js prints)
    response = client.get(reverse("meetings:docx", args=[meeting.pk]))
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "县长办公会纪要" in text and "一、研究的项目和卡点" in text and "二、会议议定事项" in text
    assert "1. 限期完成移民安置" in text and "责任单位：县水利局；完成时限：2020年10月31日。" in text
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "移民安置" in cells


def test_it_suggests_escalated_blockers_for_a_new_meeting(world, blocker):
    response = login(world.office).get(reverse("meetings:create"))
    assert response.context["form"].initial["blockers"] == [blocker.pk]
    response = login(world.office).post(
        reverse("meetings:create"),
        {"type": "executive", "title": "第12次县长办公会", "date": "2020-10-11", "blockers": [blocker.pk]},
    )
    meeting = Meeting.objects.get(title="第12次县长办公会")
    assert response.status_code == 302 and list(meeting.blockers.all()) == [blocker]
    assert login(world.supervisor).get(reverse("meetings:create")).status_code == 403


def test_it_lists_meetings_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    client = login(world.office)
    for i in range(3):
        Meeting.objects.create(region=world.county, title=f"调度会{i}", chair=world.leader)
    with django_assert_max_num_queries(12) as small:
        assert "调度会2" in client.get(reverse("meetings:list")).content.decode()
    for i in range(40):
        Meeting.objects.create(region=world.county, title=f"会{i}", chair=world.leader)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("meetings:list"))


def test_it_refuses_a_committed_start_or_task_deadline_before_the_meeting(world, meeting):
    response = login(world.office).post(
        reverse("meetings:decision_create", args=[meeting.pk]),
        {
            "text": "10月1日前开工",
            "project": world.bridge.pk,
            "committed_start": "2020-10-01",
            "task_title": "开工",
            "task_unit": world.transport.pk,
            "task_deadline": "2020-10-10",
        },
    )
    errors = response.context["decision_form"].errors
    assert response.status_code == 400 and set(errors) == {"committed_start", "task_deadline"}
    assert "2020-10-11" in errors["committed_start"][0]
    assert not meeting.decisions.exists()
