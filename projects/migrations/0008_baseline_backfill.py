"""Every existing project gets its original baseline: from its earliest history record (django-simple-
history's first copy of the row) when it has one, else from its values now. Historical models only."""

from django.db import migrations
from django.utils import timezone


def backfill(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    HistoricalProject = apps.get_model("projects", "HistoricalProject")
    Baseline = apps.get_model("projects", "Baseline")
    done = set(Baseline.objects.values_list("project_id", flat=True))
    earliest = {}
    records = HistoricalProject.objects.order_by("id", "history_date", "history_id").values_list(
        "id", "total_investment", "planned_start", "planned_end", "history_date", "history_user_id"
    )
    for pk, total, start, end, when, user_id in records.iterator():
        earliest.setdefault(pk, (total, start, end, when, user_id))
    now = timezone.now()
    rows = []
    for project in (
        Project.objects.exclude(pk__in=done)
        .only("pk", "total_investment", "planned_start", "planned_end", "created")
        .iterator()
    ):
        if project.pk in earliest:
            total, start, end, when, user_id = earliest[project.pk]
            how = "history"
        else:
            total, start, end = project.total_investment, project.planned_start, project.planned_end
            when, user_id, how = project.created or now, None, "current"
        rows.append(
            Baseline(
                project_id=project.pk,
                total_investment=total,
                planned_start=start,
                planned_end=end,
                how=how,
                as_of=when,
                recorded_at=now,
                recorded_by_id=user_id,
            )
        )
    Baseline.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("projects", "0007_baseline")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
