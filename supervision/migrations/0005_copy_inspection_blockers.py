# Issue 10: every blocker's source inspection becomes an InspectionBlocker row (and back), before
# blockers 0008 drops Blocker.source_inspection. Historical models only (apps.get_model).

from django.db import migrations
from django.db.models import Exists, OuterRef, Subquery

BATCH = 2000


def forwards(apps, schema_editor):
    Blocker = apps.get_model("blockers", "Blocker")
    InspectionBlocker = apps.get_model("supervision", "InspectionBlocker")
    rows = Blocker.objects.filter(source_inspection__isnull=False).values_list("pk", "source_inspection_id")
    InspectionBlocker.objects.bulk_create(
        (InspectionBlocker(blocker_id=blocker, inspection_id=inspection) for blocker, inspection in rows.iterator()),
        batch_size=BATCH,
    )


def backwards(apps, schema_editor):
    Blocker = apps.get_model("blockers", "Blocker")
    InspectionBlocker = apps.get_model("supervision", "InspectionBlocker")
    links = InspectionBlocker.objects.filter(blocker_id=OuterRef("pk"))
    Blocker.objects.filter(Exists(links)).update(source_inspection_id=Subquery(links.values("inspection_id")[:1]))
    InspectionBlocker.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0004_inspection_blockers"),
    ]
    run_before = [
        ("blockers", "0008_remove_upward_sources"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
