"""Audit rows cannot be changed or deleted, by the database itself (issue 13 item 6), on SQLite and
PostgreSQL; only the retention prune removes rows, and only those older than the retention period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts.models import SecurityEvent
from audit.immutability import audited_tables, deletable_before
from audit.models import AuditEntry
from audit.services import audit_prune
from reports.models import MonthlyReport, ReportEvent

from .report_builders import year_setting

pytestmark = pytest.mark.django_db


def raw(sql: str, params: list | None = None) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def test_it_refuses_an_update_and_a_delete_through_a_raw_cursor(world):
    event = SecurityEvent.objects.create(kind=SecurityEvent.Kind.FAILED, username="nobody")
    setting = year_setting(world.county)
    setting.deadline_day = 9
    setting.save()
    history = setting.history.model._meta.db_table
    entry = AuditEntry.objects.filter(model="reports.yearsetting").latest("pk")
    for table, key in (
        ("accounts_securityevent", event.pk),
        (history, setting.history.latest().history_id),
        ("audit_auditentry", entry.pk),
    ):
        pk = "history_id" if table == history else "id"
        with pytest.raises(DatabaseError):
            raw(f'UPDATE "{table}" SET {pk} = {pk} WHERE {pk} = %s', [key])
        with pytest.raises(DatabaseError):
            raw(f'DELETE FROM "{table}" WHERE {pk} = %s', [key])
    assert SecurityEvent.objects.filter(pk=event.pk, username="nobody").exists()
    assert setting.history.count() == 2
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_it_puts_triggers_on_every_historical_table_and_the_logs():
    tables = audited_tables()
    assert {"accounts_historicaluser", "regions_historicalunit", "projects_historicalproject"} <= set(tables)
    assert {
        "accounts_securityevent",
        "audit_auditentry",
        "reports_reportevent",
        "blockers_blockerevent",
    } <= set(tables)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit_keep_%'"
            )
        else:
            cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'audit_keep'")
        guarded = {row[0].strip('"') for row in cursor.fetchall()}
    assert set(tables) <= guarded


def test_it_keeps_a_reports_workflow_when_the_report_is_deleted(world):
    report = MonthlyReport.objects.create(
        project=world.reservoir, year=2020, month=3, amount="1.00", progress="x", created_by=world.office
    )
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.CREATED, by=world.office)
    with pytest.raises(DatabaseError), transaction.atomic():
        report.delete()
    assert MonthlyReport.objects.filter(pk=report.pk).exists()


def test_it_prunes_only_rows_older_than_the_retention(world):
    now = timezone.now()
    old = SecurityEvent.objects.create(kind=SecurityEvent.Kind.SIGNED_IN, at=now - dt.timedelta(days=400))
    young = SecurityEvent.objects.create(kind=SecurityEvent.Kind.SIGNED_IN, at=now - dt.timedelta(days=300))
    assert audit_prune(keep_days=365) >= 1
    assert not SecurityEvent.objects.filter(pk=old.pk).exists()
    assert SecurityEvent.objects.filter(pk=young.pk).exists()
    with pytest.raises(DatabaseError):  # after the prune, no permission is left behind
        raw("DELETE FROM accounts_securityevent WHERE id = %s", [young.pk])


def test_it_never_prunes_younger_than_180_days(world):
    with pytest.raises(ValueError):
        audit_prune(keep_days=179)
    with pytest.raises(CommandError):
        call_command("prune_audit", "--days", "30")
    young = SecurityEvent.objects.create(
        kind=SecurityEvent.Kind.SIGNED_IN, at=timezone.now() - dt.timedelta(days=100)
    )
    # Even a hand-made permission for younger rows is refused by the database.
    with pytest.raises(DatabaseError), deletable_before(timezone.now() - dt.timedelta(days=10)):
        SecurityEvent.objects.filter(pk=young.pk).delete()
    assert SecurityEvent.objects.filter(pk=young.pk).exists()


def test_the_command_says_what_it_deleted(world, capsys):
    SecurityEvent.objects.create(
        kind=SecurityEvent.Kind.SIGNED_IN, at=timezone.now() - dt.timedelta(days=800)
    )
    call_command("prune_audit")
    assert "Deleted 1 audit rows older than 365 days." in capsys.readouterr().out
