"""A baseline version of every row the audit trail began tracking in this release (users, units,
year settings, meetings, decisions, report photos), so that the first change after the upgrade is
shown old → new like every later one. Dated now, by nobody ("system"); no audit log line (it is
no change)."""

from django.db import migrations
from django.utils import timezone

TRACKED = [
    ("accounts", "User"),
    ("regions", "Unit"),
    ("reports", "YearSetting"),
    ("meetings", "Meeting"),
    ("meetings", "Decision"),
    ("reports", "ReportPhoto"),
]
BATCH = 1000


def baseline(apps, schema_editor):
    moment = timezone.now()
    for app_label, name in TRACKED:
        model = apps.get_model(app_label, name)
        historical = apps.get_model(app_label, f"Historical{name}")
        copied = [f.attname for f in historical._meta.concrete_fields if not f.name.startswith("history_")]
        known = set(historical.objects.values_list("id", flat=True).distinct())
        rows = []
        for obj in model.objects.exclude(pk__in=known).iterator(chunk_size=BATCH):
            values = {a: getattr(obj, a) for a in copied}
            rows.append(
                historical(
                    history_date=moment,
                    history_type="+",
                    history_change_reason="baseline",
                    **values,
                )
            )
            if len(rows) >= BATCH:
                historical.objects.bulk_create(rows)
                rows = []
        historical.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_immutable")]

    operations = [migrations.RunPython(baseline, migrations.RunPython.noop)]
