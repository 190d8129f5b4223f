# Issue 10: every blocker's source meeting becomes a RaisedBlocker row and every task's source decision a
# DecisionTask row (and back), before blockers 0008 and supervision 0006 drop the old keys. Historical
# models only (apps.get_model).

from django.db import migrations
from django.db.models import Exists, OuterRef, Subquery

BATCH = 2000


def forwards(apps, schema_editor):
    Blocker = apps.get_model("blockers", "Blocker")
    SupervisionTask = apps.get_model("supervision", "SupervisionTask")
    RaisedBlocker = apps.get_model("meetings", "RaisedBlocker")
    DecisionTask = apps.get_model("meetings", "DecisionTask")
    blockers = Blocker.objects.filter(source_meeting__isnull=False).values_list("pk", "source_meeting_id")
    RaisedBlocker.objects.bulk_create(
        (RaisedBlocker(blocker_id=blocker, meeting_id=meeting) for blocker, meeting in blockers.iterator()),
        batch_size=BATCH,
    )
    tasks = SupervisionTask.objects.filter(source_decision__isnull=False).values_list("pk", "source_decision_id")
    DecisionTask.objects.bulk_create(
        (DecisionTask(task_id=task, decision_id=decision) for task, decision in tasks.iterator()),
        batch_size=BATCH,
    )


def backwards(apps, schema_editor):
    Blocker = apps.get_model("blockers", "Blocker")
    SupervisionTask = apps.get_model("supervision", "SupervisionTask")
    RaisedBlocker = apps.get_model("meetings", "RaisedBlocker")
    DecisionTask = apps.get_model("meetings", "DecisionTask")
    raised = RaisedBlocker.objects.filter(blocker_id=OuterRef("pk"))
    Blocker.objects.filter(Exists(raised)).update(source_meeting_id=Subquery(raised.values("meeting_id")[:1]))
    assigned = DecisionTask.objects.filter(task_id=OuterRef("pk"))
    SupervisionTask.objects.filter(Exists(assigned)).update(
        source_decision_id=Subquery(assigned.values("decision_id")[:1])
    )
    RaisedBlocker.objects.all().delete()
    DecisionTask.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0003_raised_blockers_decision_tasks"),
    ]
    run_before = [
        ("blockers", "0008_remove_upward_sources"),
        ("supervision", "0006_remove_supervisiontask_source_decision"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
