"""Blocker status and escalation rules: who may do what, closure only after resolution, history kept."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from blockers import services
from blockers.models import Blocker, BlockerEvent
from lib.concurrency import WrongState

S = Blocker.Status


@pytest.fixture
def blocker(world):
    return services.blocker_raise(
        project=world.reservoir, by=world.water_user, kind=Blocker.Kind.LAND, description="库区移民安置未完成"
    )


def test_it_raises_with_the_projects_unit_and_leader_and_logs_it(world, blocker):
    assert blocker.lead_unit == world.water
    assert blocker.leader == world.leader
    assert blocker.status == S.OPEN and blocker.level == Blocker.Level.UNIT
    assert [e.kind for e in blocker.events.all()] == [BlockerEvent.Kind.CREATED]


def test_it_refuses_a_unit_raising_on_someone_elses_project(world):
    with pytest.raises(PermissionDenied):
        services.blocker_raise(project=world.bridge, by=world.water_user, kind="land", description="x")
    with pytest.raises(PermissionDenied):
        services.blocker_raise(project=world.reservoir, by=world.viewer, kind="land", description="x")


def test_it_lets_the_unit_coordinate_and_resolve_but_not_close(world, blocker):
    services.blocker_move(blocker=blocker, by=world.water_user, to=S.COORDINATING)
    services.blocker_move(blocker=blocker, by=world.water_user, to=S.RESOLVED, note="已完成安置")
    with pytest.raises(PermissionDenied):
        services.blocker_move(blocker=blocker, by=world.water_user, to=S.CLOSED)
    blocker.refresh_from_db()
    assert blocker.status == S.RESOLVED and blocker.resolved_at is not None


def test_it_closes_only_a_resolved_blocker_and_only_by_office_or_supervisor(world, blocker):
    with pytest.raises(ValidationError):
        services.blocker_move(blocker=blocker, by=world.supervisor, to=S.CLOSED)
    services.blocker_move(blocker=blocker, by=world.water_user, to=S.RESOLVED)
    with pytest.raises(PermissionDenied):
        services.blocker_move(blocker=blocker, by=world.leader_user, to=S.CLOSED)
    services.blocker_move(blocker=blocker, by=world.supervisor, to=S.CLOSED, note="现场核实")
    blocker.refresh_from_db()
    assert blocker.status == S.CLOSED and blocker.closed_at is not None
    statuses = list(blocker.events.filter(kind="status").values_list("from_status", "to_status"))
    assert statuses == [(S.OPEN, S.RESOLVED), (S.RESOLVED, S.CLOSED)]


def test_it_reopens_a_resolved_blocker_only_with_a_reason(world, blocker):
    services.blocker_move(blocker=blocker, by=world.water_user, to=S.RESOLVED)
    with pytest.raises(ValidationError):
        services.blocker_move(blocker=blocker, by=world.office, to=S.COORDINATING)
    services.blocker_move(blocker=blocker, by=world.office, to=S.COORDINATING, note="现场仍有两户未签约")
    blocker.refresh_from_db()
    assert blocker.status == S.COORDINATING and blocker.resolved_at is None


def test_it_keeps_units_off_other_units_blockers(world, blocker):
    with pytest.raises(PermissionDenied):
        services.blocker_move(blocker=blocker, by=world.transport_user, to=S.RESOLVED)
    with pytest.raises(PermissionDenied):
        services.blocker_set_measures(blocker=blocker, by=world.transport_user, measures="x")
    with pytest.raises(PermissionDenied):
        services.blocker_comment(blocker=blocker, by=world.viewer, text="x")


def test_it_lets_a_cooperating_unit_act(world):
    blocker = services.blocker_raise(
        project=world.road, by=world.office, kind="approvals", description="用地预审"
    )
    services.blocker_set_measures(blocker=blocker, by=world.water_user, measures="配合办理用地手续")
    blocker.refresh_from_db()
    assert blocker.measures == "配合办理用地手续"


def test_it_lets_the_leader_escalate_within_their_projects_with_who_and_why(world, blocker):
    with pytest.raises(PermissionDenied):
        services.blocker_escalate(
            blocker=blocker, by=world.water_user, level=Blocker.Level.LEADER, reason="x"
        )
    with pytest.raises(ValidationError):
        services.blocker_escalate(
            blocker=blocker, by=world.leader_user, level=Blocker.Level.MEETING, reason=" "
        )
    services.blocker_escalate(
        blocker=blocker,
        by=world.leader_user,
        level=Blocker.Level.MEETING,
        reason="涉及跨部门政策，需县长办公会研究",
    )
    blocker.refresh_from_db()
    assert blocker.level == Blocker.Level.MEETING
    assert blocker.escalated_by == world.leader_user
    assert "县长办公会" in blocker.escalation_reason
    event = blocker.events.get(kind=BlockerEvent.Kind.ESCALATED)
    assert event.by == world.leader_user and event.level == Blocker.Level.MEETING
    with pytest.raises(WrongState):  # already at the top: a repeated step is a message (issue 13 item 3)
        services.blocker_escalate(
            blocker=blocker, by=world.office, level=Blocker.Level.MEETING, reason="again"
        )


def test_it_refuses_a_leader_escalating_outside_their_projects(world):
    blocker = services.blocker_raise(
        project=world.bridge, by=world.office, kind="funds", description="资金缺口"
    )
    with pytest.raises(PermissionDenied):
        services.blocker_escalate(
            blocker=blocker, by=world.leader_user, level=Blocker.Level.MEETING, reason="x"
        )


def test_it_refuses_an_escalation_that_does_not_go_up(world, blocker):
    services.blocker_escalate(
        blocker=blocker, by=world.office, level=Blocker.Level.LEADER, reason="需领导协调"
    )
    with pytest.raises(ValidationError):
        services.blocker_escalate(blocker=blocker, by=world.office, level=Blocker.Level.UNIT, reason="x")


def test_it_keeps_every_change_and_comment_on_the_timeline(world, blocker):
    services.blocker_set_measures(blocker=blocker, by=world.water_user, measures="逐户做工作")
    services.blocker_comment(blocker=blocker, by=world.leader_user, text="本周内召开协调会")
    services.blocker_edit(
        blocker=blocker, by=world.office, changes={"deadline": __import__("datetime").date(2020, 11, 1)}
    )
    kinds = list(blocker.events.values_list("kind", flat=True))
    assert kinds == ["created", "measures", "comment", "edited"]
    assert "2020-11-01" in blocker.events.get(kind="edited").text
