"""meetings/notices.py: a meeting decision reaches every unit it names — its project's lead unit, its
blocker's units, the units its tasks go to — and, on a blocker, the blocker's leader; nobody else."""

from __future__ import annotations

import datetime as dt

import pytest

from blockers.services import blocker_raise
from meetings.models import Meeting
from meetings.services import decision_add
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def told(pinned_today, django_capture_on_commit_callbacks):
    def run(action) -> set[str]:
        before = set(Notification.objects.values_list("pk", flat=True))
        with django_capture_on_commit_callbacks(execute=True):
            action()
        return set(Notification.objects.exclude(pk__in=before).values_list("user__username", flat=True))

    return run


@pytest.fixture
def meeting(world):
    return Meeting.objects.create(
        region=world.county, title="县长办公会", date=dt.date(2020, 10, 11), created_by=world.office
    )


def test_it_tells_the_projects_unit_and_the_tasks_unit(world, meeting, told):
    got = told(
        lambda: decision_add(
            meeting=meeting,
            by=world.office,
            text="加快推进中和至平凯公路改造",
            project=world.road,
            task_title="协调水利设施迁改",
            task_unit=world.water,
            task_deadline=dt.date(2020, 11, 30),
        )
    )
    # transport leads the road; water gets the task (and the task's own notice); supervision the task.
    assert got == {"transport", "water", "supervisor"}
    decision = Notification.objects.get(user=world.transport_user, kind="decision")
    assert "中和至平凯公路改造" in decision.title and "加快推进" in decision.body
    assert decision.url == f"/meetings/{meeting.pk}/"
    assert Notification.objects.filter(user=world.water_user, kind="decision").count() == 1


def test_it_tells_a_blockers_units_and_leader_that_it_was_decided(world, meeting, told):
    blocker = blocker_raise(
        project=world.reservoir,
        by=world.office,
        kind="land",
        description="征地",
        cooperating_units=[world.hongan],
    )
    got = told(
        lambda: decision_add(meeting=meeting, by=world.office, text="由洪安镇牵头完成征地", blocker=blocker)
    )
    assert got == {"water", "hongan", "leader"}


def test_it_tells_nobody_of_a_decision_naming_no_unit(world, meeting, told):
    assert told(lambda: decision_add(meeting=meeting, by=world.office, text="各单位加快前期工作")) == set()
    for user in (world.outsider, world.city_office, world.viewer):
        assert not Notification.objects.filter(user=user).exists()
