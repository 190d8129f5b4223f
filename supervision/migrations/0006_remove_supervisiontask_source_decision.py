# Issue 10: SupervisionTask.source_decision pointed up the layers; its rows now live in
# meetings.DecisionTask (copied by meetings 0004, which runs before this one).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0005_copy_inspection_blockers"),
    ]

    operations = [
        migrations.RemoveField(model_name="supervisiontask", name="source_decision"),
    ]
