# Issue 10: Blocker.source_inspection and Blocker.source_meeting pointed up the layers; their rows now
# live in supervision.InspectionBlocker and meetings.RaisedBlocker (copied by supervision 0005 and
# meetings 0004, which run before this one).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("blockers", "0007_source_links_turn_round_prepare"),
    ]

    operations = [
        migrations.RemoveField(model_name="blocker", name="source_inspection"),
        migrations.RemoveField(model_name="blocker", name="source_meeting"),
    ]
