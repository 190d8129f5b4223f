"""Issue 10: the three keys that pointed up the layers (a blocker's inspection and meeting, a task's
decision) moved to link rows of the higher app; the migrations carry every link both ways."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from blockers.models import Blocker
from meetings.models import Decision, DecisionTask, Meeting, RaisedBlocker
from supervision.models import Inspection, InspectionBlocker, SupervisionTask

# The last migrations with the old keys and the new link tables side by side, before the copy.
BEFORE = [
    ("blockers", "0007_source_links_turn_round_prepare"),
    ("supervision", "0004_inspection_blockers"),
    ("meetings", "0003_raised_blockers_decision_tasks"),
]
APPS = ("blockers", "supervision", "meetings")


def migrate_to(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def latest():
    graph = MigrationExecutor(connection).loader.graph
    return [node for app in APPS for node in graph.leaf_nodes(app)]


@pytest.fixture
def linked(world):
    inspection = Inspection.objects.create(project=world.reservoir, findings="征地未完成")
    meeting = Meeting.objects.create(region=world.county, title="专题调度会", date=dt.date(2020, 9, 15))
    decision = Decision.objects.create(meeting=meeting, number=1, text="水利局牵头完成征地")
    from_inspection, from_meeting, plain = (
        Blocker.objects.create(project=world.reservoir, kind=kind, description=kind, lead_unit=world.water)
        for kind in ("land", "funds", "other")
    )
    task = SupervisionTask.objects.create(
        region=world.county, title="完成征地", assignee_unit=world.water, deadline=dt.date(2020, 10, 31)
    )
    InspectionBlocker.objects.create(inspection=inspection, blocker=from_inspection)
    RaisedBlocker.objects.create(meeting=meeting, blocker=from_meeting)
    DecisionTask.objects.create(decision=decision, task=task)
    return {
        "inspection": inspection,
        "meeting": meeting,
        "decision": decision,
        "from_inspection": from_inspection,
        "from_meeting": from_meeting,
        "plain": plain,
        "task": task,
    }


@pytest.mark.django_db(transaction=True)
def test_it_carries_every_link_back_to_the_old_keys_and_forward_again(world, linked):
    try:
        old = migrate_to(BEFORE)
        OldBlocker = old.get_model("blockers", "Blocker")
        OldTask = old.get_model("supervision", "SupervisionTask")
        sources = dict(OldBlocker.objects.values_list("pk", "source_inspection_id"))
        meetings = dict(OldBlocker.objects.values_list("pk", "source_meeting_id"))
        assert sources == {
            linked["from_inspection"].pk: linked["inspection"].pk,
            linked["from_meeting"].pk: None,
            linked["plain"].pk: None,
        }
        assert meetings == {
            linked["from_inspection"].pk: None,
            linked["from_meeting"].pk: linked["meeting"].pk,
            linked["plain"].pk: None,
        }
        assert OldTask.objects.get(pk=linked["task"].pk).source_decision_id == linked["decision"].pk
        assert not old.get_model("supervision", "InspectionBlocker").objects.exists()
        assert not old.get_model("meetings", "RaisedBlocker").objects.exists()
        assert not old.get_model("meetings", "DecisionTask").objects.exists()
        # A link written the old way, before the upgrade, comes over too.
        second = OldTask.objects.create(
            region_id=world.county.pk,
            title="复核征地",
            assignee_unit_id=world.water.pk,
            deadline=dt.date(2020, 11, 30),
            source_decision_id=linked["decision"].pk,
        )
        OldBlocker.objects.filter(pk=linked["plain"].pk).update(source_inspection_id=linked["inspection"].pk)
    finally:
        migrate_to(latest())
    assert set(InspectionBlocker.objects.values_list("inspection_id", "blocker_id")) == {
        (linked["inspection"].pk, linked["from_inspection"].pk),
        (linked["inspection"].pk, linked["plain"].pk),
    }
    assert list(RaisedBlocker.objects.values_list("meeting_id", "blocker_id")) == [
        (linked["meeting"].pk, linked["from_meeting"].pk)
    ]
    assert set(linked["decision"].tasks.values_list("pk", flat=True)) == {linked["task"].pk, second.pk}
    assert set(linked["inspection"].blockers.all()) == {linked["from_inspection"], linked["plain"]}
