"""Audit rows cannot be changed or deleted: triggers on every audited table (audit.immutability).

The triggers are installed by audit.apps on post_migrate, after every `migrate` — not here: a migration
must behave forever as it did, so it may not import application code (tests/test_project_month_derived.py),
and a trigger installed halfway through a migrate would refuse a later migration that rewrites an audit
row. After every migrate is also what SQLite needs: it copies a table to alter it, dropping its triggers.
This migration stays as the point the later audit migrations depend on.
"""

from django.db import migrations


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

    operations: list = []
