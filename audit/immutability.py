"""Audit rows cannot be changed or deleted — enforced by the database, not only by the code.

Every audited table gets triggers (SQLite and PostgreSQL) that refuse an UPDATE always and a DELETE
unless the table `audit_unlock` (plain SQL, no model: Django's flush never empties it) holds a row
allowing it, which only two writers ever insert, inside their own transaction:
- the retention prune (audit.services.audit_prune): `before` = the cutoff, so only rows older than
  the retention period go — and a cutoff younger than KEYPROJ_AUDIT_MIN_DAYS (180 days) is
  refused by a trigger on audit_unlock itself;
- the test suite's flush between transactional tests on SQLite (`everything` = 1; PostgreSQL
  flushes with TRUNCATE, which row triggers do not see): tests/conftest.py wraps the flush.
Workflow timelines (a report's, a blocker's, a task's events) are kept as long as their object: the
prune never deletes them, only the flush may.

Whoever owns the tables can still drop a trigger: run the application as a database role without
ownership of the tables (docs/audit.md) for the last word.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.db import connection as default_connection
from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

MIN_DAYS = 180
# Audit tables outside the historical ones: label → the time column the prune reads (None: never pruned).
EXTRA = {
    "accounts.SecurityEvent": "at",
    "audit.AuditEntry": "at",
    "reports.ReportEvent": None,
    "blockers.BlockerEvent": None,
    "supervision.TaskFeedback": None,
}


def audited_tables() -> dict[str, str | None]:
    """Table name → the time column the prune may delete by (None: kept with its object)."""
    tables: dict[str, str | None] = {}
    for model in apps.get_models():
        if hasattr(model, "instance_type") and hasattr(model, "history_date"):  # simple_history's
            tables[model._meta.db_table] = "history_date"
    for label, column in EXTRA.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        tables[model._meta.db_table] = column
    return tables


def _sqlite(tables: dict[str, str | None]) -> list[str]:
    statements = [
        "CREATE TABLE IF NOT EXISTS audit_unlock (before TEXT, everything INTEGER NOT NULL DEFAULT 0)",
        f"""CREATE TRIGGER IF NOT EXISTS audit_unlock_min BEFORE INSERT ON audit_unlock
            WHEN NEW.everything = 0 AND (NEW.before IS NULL
                 OR NEW.before > strftime('%Y-%m-%d %H:%M:%f', 'now', '-{MIN_DAYS} days'))
            BEGIN SELECT RAISE(ABORT, 'audit rows are kept at least {MIN_DAYS} days'); END""",
    ]
    for table, column in tables.items():
        allowed = "EXISTS (SELECT 1 FROM audit_unlock WHERE everything = 1)"
        if column:
            allowed += f' OR EXISTS (SELECT 1 FROM audit_unlock WHERE OLD."{column}" < audit_unlock.before)'
        statements += [
            f"""CREATE TRIGGER IF NOT EXISTS "audit_keep_{table}_u" BEFORE UPDATE ON "{table}"
                BEGIN SELECT RAISE(ABORT, 'audit rows cannot be changed ({table})'); END""",
            f"""CREATE TRIGGER IF NOT EXISTS "audit_keep_{table}_d" BEFORE DELETE ON "{table}"
                WHEN NOT ({allowed})
                BEGIN SELECT RAISE(ABORT, 'audit rows cannot be deleted ({table})'); END""",
        ]
    return statements


PG_FUNCTIONS = [
    """CREATE TABLE IF NOT EXISTS audit_unlock (
           before timestamptz, everything boolean NOT NULL DEFAULT false)""",
    f"""CREATE OR REPLACE FUNCTION audit_unlock_min() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NOT NEW.everything AND (NEW.before IS NULL
             OR NEW.before > now() - interval '{MIN_DAYS} days') THEN
            RAISE EXCEPTION 'audit rows are kept at least {MIN_DAYS} days' USING ERRCODE = '23000';
          END IF;
          RETURN NEW;
        END $$""",
    "DROP TRIGGER IF EXISTS audit_unlock_min ON audit_unlock",
    """CREATE TRIGGER audit_unlock_min BEFORE INSERT ON audit_unlock
       FOR EACH ROW EXECUTE FUNCTION audit_unlock_min()""",
    """CREATE OR REPLACE FUNCTION audit_keep() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' THEN
            IF EXISTS (SELECT 1 FROM audit_unlock WHERE everything) THEN RETURN OLD; END IF;
            IF TG_NARGS > 0 AND EXISTS (
                SELECT 1 FROM audit_unlock
                WHERE (to_jsonb(OLD) ->> TG_ARGV[0])::timestamptz < audit_unlock.before) THEN
              RETURN OLD;
            END IF;
          END IF;
          RAISE EXCEPTION 'audit rows cannot be changed or deleted (%)', TG_TABLE_NAME
            USING ERRCODE = '23000';
        END $$""",
]


def _postgresql(tables: dict[str, str | None]) -> list[str]:
    statements = list(PG_FUNCTIONS)
    for table, column in tables.items():
        argument = f"'{column}'" if column else ""
        statements.append(
            f"""CREATE OR REPLACE TRIGGER audit_keep BEFORE UPDATE OR DELETE ON "{table}"
                FOR EACH ROW EXECUTE FUNCTION audit_keep({argument})"""
        )
    return statements


def install(connection: BaseDatabaseWrapper = default_connection) -> None:
    """Create (or re-create) the triggers on every audited table that exists; idempotent."""
    existing = set(connection.introspection.table_names())
    tables = {t: c for t, c in audited_tables().items() if t in existing}
    if connection.vendor == "sqlite":
        statements = _sqlite(tables)
    elif connection.vendor == "postgresql":
        statements = _postgresql(tables)
    else:
        return
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def on_post_migrate(sender, using: str = "default", **kwargs) -> None:
    if sender.label != "audit":  # once per migrate, after every app's tables
        return
    from django.db import connections

    install(connections[using])


def _stamp(moment: dt.datetime, connection: BaseDatabaseWrapper) -> object:
    if connection.vendor == "sqlite":  # as Django stores it: naive UTC text
        return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    return moment


@contextmanager
def deletable_before(cutoff: dt.datetime) -> Iterator[None]:
    """Inside: audit rows older than `cutoff` may be deleted (the prune); atomic, so no other
    connection ever sees the permission, and it is gone when the block ends."""
    with transaction.atomic():
        with default_connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO audit_unlock (before, everything) VALUES (%s, %s)",
                [_stamp(cutoff, default_connection), False],
            )
        yield  # an error rolls the permission back with everything else
        with default_connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_unlock")


def flush_sql(sql_list: list[str]) -> list[str]:
    """The test suite's flush (SQLite): the same statements, with every audit row deletable while
    they run, in the flush's own transaction."""
    return [
        "INSERT INTO audit_unlock (before, everything) VALUES (NULL, 1)",
        *sql_list,
        "DELETE FROM audit_unlock",
    ]


def is_audit_model(model: type[models.Model]) -> bool:
    return model._meta.db_table in audited_tables()
