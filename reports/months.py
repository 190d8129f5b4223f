"""The ProjectMonth summary table and the one path that keeps it.

Each project-year with at least one report has a row for every month from its first report to
December: the counted amount of the month (reports whose status is in `MonthlyReport.COUNTED`),
the year to date, whether a counted report up to then says construction started (and no later
counted correction says it has not: a report saved as not started with the reason for it, see
reports.services.report_save), and the status of the month's own report.

Who writes it: the code that writes reports, never anything else. Every write of a monthly report
goes through `reports.services` (report_save, report_submit, report_return, report_approve,
report_reopen; the Excel monthly import saves through report_save), and each of them calls
`refresh(project_id, year)` in its own transaction, which recomputes that project-year's ≤ 12 rows
from its reports. A correction of an earlier month therefore rewrites the later months' ytd. A
request that writes one report in several steps (the form's "save and submit") runs them inside
`refreshed_once()`, which does the refresh once, at its end, in the same transaction.

Bulk writers that bypass the services (the demo builder, the bench generator, a repair after a
hand-made SQL change) call `rebuild()` — one set-based pass — when they are done, or
`manage.py rebuild_project_months`. Deleting a project deletes its rows with it (CASCADE).

The counted rule lives only in `MonthlyReport.COUNTED`: the SQL below takes it as parameters.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from django.db import connection, transaction

from lib import statements
from projects.models import Project

from .models import MonthlyReport, ProjectMonth, ReportEvent

TABLE = ProjectMonth._meta.db_table
REPORTS = MonthlyReport._meta.db_table
EVENTS = ReportEvent._meta.db_table
Action = ReportEvent.Action
MONTHS_SQL = " UNION ALL ".join(f"SELECT {m} AS n" for m in range(1, 13))
# The project-years whose refresh waits for the end of the enclosing refreshed_once() block.
_deferred: ContextVar[dict[tuple[int, int], None] | None] = ContextVar("months_deferred", default=None)


def fill_sql(where: str, params: list) -> tuple[str, list]:
    """INSERT … SELECT of the rows of the project-years whose reports match `where` (on the
    reports table, unqualified columns, with `params`), and the parameters to run it with.

    One window pass: the dense month grid left-joined to the reports, with running sums. Portable
    between SQLite (≥ 3.25) and PostgreSQL.
    """
    counted = [str(status) for status in MonthlyReport.COUNTED]
    marks = ", ".join(["%s"] * len(counted))
    sql = f"""
INSERT INTO {TABLE} (project_id, "year", "month", month_amount, ytd, started, report_status)
SELECT project_id, "year", n, month_amount,
       SUM(month_amount) OVER w,
       COALESCE(MAX(said_started) OVER w > COALESCE(MAX(said_not_started) OVER w, 0), FALSE),
       report_status
FROM (
    SELECT f.project_id, f."year", m.n,
           CASE WHEN r.status IN ({marks}) THEN r.amount ELSE 0 END AS month_amount,
           CASE WHEN r.status IN ({marks}) AND r.started THEN m.n END AS said_started,
           CASE WHEN r.status IN ({marks}) AND NOT r.started AND EXISTS (
               SELECT 1 FROM {EVENTS} e
               WHERE e.report_id = r.id AND e.action IN (%s, %s) AND e.reason <> ''
           ) THEN m.n END AS said_not_started,
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
    corrected = [str(Action.CREATED), str(Action.SAVED)]
    return sql, counted + counted + counted + corrected + list(params)


def _replace(where: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE {where}", params)
        cursor.execute(*fill_sql(where, params))


def refresh(project_id: int, year: int) -> None:
    """Recompute one project-year's rows from its reports (none left: no rows).

    Called by every report service after it has written the report, inside its transaction, so the
    summary commits or rolls back with the report. Inside refreshed_once(), only noted: the rows are
    recomputed once, when that block ends.
    """
    deferred = _deferred.get()
    if deferred is not None:
        deferred[(project_id, year)] = None
        return
    # No savepoint of its own: a failure here fails the service, which rolls back the report with it.
    with transaction.atomic(savepoint=False):
        _refresh(project_id, year)


def _refresh(project_id: int, year: int) -> None:
    # Two transactions writing different months of one project-year would both delete the old
    # rows and insert new ones; the second insert would then hit the unique constraint. Locking the
    # project row makes them take turns (NO KEY UPDATE: rows that merely reference the project,
    # like a new blocker, are not held up).
    # Its statement is compiled once per process (lib.statements, the project's id bound in).
    no_key = connection.features.has_select_for_no_key_update
    statements.by_ids(
        Project,
        ("summary's project lock", no_key),
        [project_id],
        lambda ids: Project.objects.select_for_update(no_key=no_key).filter(pk__in=ids).values_list("pk"),
        locking=True,
    )
    _replace('project_id = %s AND "year" = %s', [project_id, year])


@contextlib.contextmanager
def refreshed_once() -> Iterator[None]:
    """A transaction in which the report services' refreshes are done once per project-year, at
    its end, from the reports as they then are: for a request that writes one report in several
    steps ("save and submit": saved, then submitted), whose rows in between nobody reads.

    Until the block ends, the rows of the months its writes change are stale: nothing inside may
    read them (a report's own checks read the month before it, which a write of its month does not
    change). An error leaves the block without refreshing and rolls the transaction back (atomic
    without a savepoint: nested, the enclosing block can only roll back), so reports never commit
    without their rows. Nested, the outermost block refreshes.
    """
    if _deferred.get() is not None:
        yield
        return
    pending: dict[tuple[int, int], None] = {}
    token = _deferred.set(pending)
    try:
        with transaction.atomic(savepoint=False):
            yield
            _deferred.reset(token)
            token = None
            for project_id, year in pending:
                _refresh(project_id, year)
    finally:
        if token is not None:
            _deferred.reset(token)


@transaction.atomic
def rebuild(*, year: int | None = None) -> int:
    """Recompute every row (or one year's) from the reports, set-based; returns the row count.

    For bulk loads that write reports without the services, and for `rebuild_project_months`.
    """
    where, params = ('"year" = %s', [year]) if year is not None else ("1 = 1", [])
    _replace(where, params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE} WHERE {where}", params)
        return cursor.fetchone()[0]
