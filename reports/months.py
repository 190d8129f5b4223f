"""The ProjectMonth summary table and the triggers that keep it.

Each project-year with at least one report has a row for every month from its first report to
December: the counted (submitted or approved) amount of the month, the year to date, whether a
counted report up to then says construction started, and the status of the month's own report.

Who writes it: the database. Triggers on reports_monthlyreport rebuild the affected project-year
(≤ 12 rows) after every insert, update or delete of a report, inside the writer's transaction. So
the report services (save, submit, approve, return, reopen), the Excel import, bulk loads and a
plain `MonthlyReport.objects.filter(...).update(amount=...)` correction all leave it right, and
there is no second code path that could forget it. A correction of an earlier month rewrites the
later months' ytd because the whole project-year is rebuilt.

Bulk loads (the bench generator) suspend the triggers and call `rebuild()` once, set-based.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

TABLE = "reports_projectmonth"
REPORTS = "reports_monthlyreport"
COUNTED_SQL = "('submitted', 'approved')"  # MonthlyReport.COUNTED
MONTHS_SQL = " UNION ALL ".join(f"SELECT {m} AS n" for m in range(1, 13))
TRIGGERS = ("reports_pm_insert", "reports_pm_delete", "reports_pm_update", "reports_pm_update_old")


def fill_sql(where: str) -> str:
    """INSERT … SELECT of the rows of the project-years whose reports match `where` (on the
    reports table, unqualified columns). One window pass: the dense month grid left-joined to the
    reports, with running sums. Portable between SQLite (≥ 3.25) and PostgreSQL."""
    return f"""
INSERT INTO {TABLE} (project_id, "year", "month", month_amount, ytd, started, report_status)
SELECT project_id, "year", n, month_amount,
       SUM(month_amount) OVER w,
       MAX(started_here) OVER w = 1,
       report_status
FROM (
    SELECT f.project_id, f."year", m.n,
           CASE WHEN r.status IN {COUNTED_SQL} THEN r.amount ELSE 0 END AS month_amount,
           CASE WHEN r.status IN {COUNTED_SQL} AND r.started THEN 1 ELSE 0 END AS started_here,
           r.status AS report_status
    FROM (
        SELECT project_id, "year", MIN("month") AS first_month
        FROM {REPORTS} WHERE {where} GROUP BY project_id, "year"
    ) f
    JOIN ({MONTHS_SQL}) m ON m.n >= f.first_month
    LEFT JOIN {REPORTS} r ON r.project_id = f.project_id AND r."year" = f."year" AND r."month" = m.n
) g
WINDOW w AS (PARTITION BY project_id, "year" ORDER BY n ROWS UNBOUNDED PRECEDING)
"""


def _refresh_sql(row: str) -> str:
    """Statements rebuilding the project-year of trigger row `row` (NEW or OLD)."""
    key = f'project_id = {row}.project_id AND "year" = {row}."year"'
    return f"DELETE FROM {TABLE} WHERE {key};\n{fill_sql(key)};"


def _sqlite_install() -> list[str]:
    columns = 'project_id, "year", "month", amount, status, started'
    return [
        f"CREATE TRIGGER reports_pm_insert AFTER INSERT ON {REPORTS} BEGIN {_refresh_sql('NEW')} END",
        f"CREATE TRIGGER reports_pm_delete AFTER DELETE ON {REPORTS} BEGIN {_refresh_sql('OLD')} END",
        f"CREATE TRIGGER reports_pm_update AFTER UPDATE OF {columns} ON {REPORTS} "
        f"BEGIN {_refresh_sql('NEW')} END",
        # A report moved to another project or year leaves its old project-year to rebuild too.
        f'CREATE TRIGGER reports_pm_update_old AFTER UPDATE OF project_id, "year" ON {REPORTS} '
        f'WHEN OLD.project_id <> NEW.project_id OR OLD."year" <> NEW."year" '
        f"BEGIN {_refresh_sql('OLD')} END",
    ]


def _postgresql_install() -> list[str]:
    key = 'project_id = p_project AND "year" = p_year'
    return [
        f"""
CREATE OR REPLACE FUNCTION reports_pm_refresh(p_project bigint, p_year integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {TABLE} WHERE {key};
    {fill_sql(key)};
END
$$""",
        """
CREATE OR REPLACE FUNCTION reports_pm_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('keyproj.pm_suspended', true) = 'on' THEN
        RETURN NULL;  -- a bulk load that calls rebuild() itself (triggers_suspended)
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM reports_pm_refresh(OLD.project_id, OLD."year");
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (OLD.project_id, OLD."year") IS DISTINCT FROM
                                                  (NEW.project_id, NEW."year")) THEN
        PERFORM reports_pm_refresh(NEW.project_id, NEW."year");
    END IF;
    RETURN NULL;
END
$$""",
        f"""
CREATE TRIGGER reports_pm_sync
AFTER INSERT OR DELETE OR UPDATE OF project_id, "year", "month", amount, status, started ON {REPORTS}
FOR EACH ROW EXECUTE FUNCTION reports_pm_sync()""",
    ]


def _sqlite_remove() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS]


def _postgresql_remove() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS reports_pm_sync ON {REPORTS}",
        "DROP FUNCTION IF EXISTS reports_pm_sync()",
        "DROP FUNCTION IF EXISTS reports_pm_refresh(bigint, integer)",
    ]


def _run(statements: list[str], schema_editor=None) -> None:
    if schema_editor is not None:
        for sql in statements:
            schema_editor.execute(sql, params=None)
        return
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _vendor(conn) -> str:
    if conn.vendor not in ("sqlite", "postgresql"):
        raise NotImplementedError(
            f"ProjectMonth triggers are written for SQLite and PostgreSQL, not {conn.vendor}"
        )
    return conn.vendor


def install_triggers(schema_editor=None) -> None:
    """Create the triggers (idempotent). Called by migration 0002."""
    conn = schema_editor.connection if schema_editor else connection
    vendor = _vendor(conn)
    _run(
        (_sqlite_remove() + _sqlite_install()) if vendor == "sqlite" else _postgresql_install(), schema_editor
    )


def remove_triggers(schema_editor=None) -> None:
    conn = schema_editor.connection if schema_editor else connection
    _run(_sqlite_remove() if _vendor(conn) == "sqlite" else _postgresql_remove(), schema_editor)


def rebuild(*, year: int | None = None) -> int:
    """Recompute every row (or one year's) from the reports, set-based; returns the row count."""
    where, params = ('"year" = %s', [year]) if year is not None else ("1 = 1", [])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE {where}", params)
        cursor.execute(fill_sql(where), params)
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE} WHERE {where}", params)
        return cursor.fetchone()[0]


@contextmanager
def triggers_suspended() -> Iterator[None]:
    """For bulk loads inside one transaction: no per-row rebuilds; the caller calls `rebuild()`."""
    if connection.vendor == "postgresql":
        # A transaction-local flag the trigger reads: no ALTER TABLE, which COPY's pending
        # foreign-key checks would refuse, and no lock.
        _run(["SELECT set_config('keyproj.pm_suspended', 'on', true)"])
        try:
            yield
        finally:
            _run(["SELECT set_config('keyproj.pm_suspended', 'off', true)"])
        return
    remove_triggers()
    try:
        yield
    finally:
        install_triggers()
