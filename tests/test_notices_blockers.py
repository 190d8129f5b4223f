"""blockers/notices.py: a blocker raised, assigned, escalated, resolved and closed reaches its lead and
cooperating units and its leader in charge — only those who can open it, never the one who acted."""

from __future__ import annotations

import pytest

from blockers.models import Blocker
from blockers.services import blocker_edit, blocker_escalate, blocker_move, blocker_raise
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
def raised(world, told):
    """A land blocker on the reservoir (water's, in 洪安镇, the leader's), with 洪安镇 and transport
    cooperating; transport cannot open the reservoir."""
    holder = {}

    def go():
        holder["b"] = blocker_raise(
            project=world.reservoir,
            by=world.office,
            kind="land",
            description="征地拆迁未完成",
            cooperating_units=[world.hongan, world.transport],
        )

    holder["told"] = told(go)
    return holder


def test_it_tells_lead_and_cooperating_units_and_leader_of_a_raised_blocker(world, raised):
    assert raised["told"] == {"water", "hongan", "leader"}  # not transport: it cannot open the reservoir
    n = Notification.objects.get(user=world.water_user)
    assert n.kind == "blocker" and "洪安水库工程" in n.title and n.url == f"/blockers/{raised['b'].pk}/"


def test_it_tells_an_escalation_to_all_but_the_one_who_escalated(world, raised, told):
    b = raised["b"]
    got = told(
        lambda: blocker_escalate(blocker=b, by=world.office, level=Blocker.Level.LEADER, reason="需协调")
    )
    assert got == {"water", "hongan", "leader"}
    assert "分管领导" in Notification.objects.filter(user=world.leader_user).first().title
    got = told(
        lambda: blocker_escalate(blocker=b, by=world.leader_user, level=Blocker.Level.MEETING, reason="上会")
    )
    assert got == {"water", "hongan"}


def test_it_tells_a_reassignment_but_not_a_new_wording(world, raised, told):
    assert (
        told(
            lambda: blocker_edit(blocker=raised["b"], by=world.office, changes={"description": "征地未完成"})
        )
        == set()
    )
    got = told(lambda: blocker_edit(blocker=raised["b"], by=world.office, changes={"leader": None}))
    assert got == {"water", "hongan"}  # the leader is no longer its leader


def test_it_tells_resolution_and_closure_not_coordination(world, raised, told):
    b = raised["b"]
    assert told(lambda: blocker_move(blocker=b, by=world.office, to=Blocker.Status.COORDINATING)) == set()
    assert told(lambda: blocker_move(blocker=b, by=world.office, to=Blocker.Status.RESOLVED)) == {
        "water",
        "hongan",
        "leader",
    }
    assert told(lambda: blocker_move(blocker=b, by=world.office, to=Blocker.Status.CLOSED)) == {
        "water",
        "hongan",
        "leader",
    }


def test_it_tells_nobody_outside(world, raised):
    for user in (world.transport_user, world.outsider, world.city_office, world.viewer, world.supervisor):
        assert not Notification.objects.filter(user=user).exists(), user
