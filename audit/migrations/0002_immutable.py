"""Audit rows cannot be changed or deleted: triggers on every audited table (audit.immutability).

post_migrate installs them again after every migrate, so a table a later migration rebuilds (SQLite
copies a table to alter it, dropping its triggers) is covered again too.
"""

from django.db import migrations


def install(apps, schema_editor):
    from audit import immutability

    immutability.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_audit_entry"),
        ("accounts", "0004_user_history_security_events"),
        ("regions", "0003_audit_history"),
        ("projects", "0006_national_code"),
        ("reports", "0008_version"),
        ("blockers", "0010_version"),
        ("supervision", "0007_version"),
        ("meetings", "0006_audit_history"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
