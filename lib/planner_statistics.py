"""The query planner's statistics on SQLite (ANALYZE), refreshed nightly by the job queue
(maintenance.tasks), after the demo is loaded and after a restore.

SQLite chooses its plans from `sqlite_stat1`, which only ANALYZE writes; nothing else ever does, so a
database that grew from empty (imports, a year of reports) is planned as if every table were small.
On the province bench (20,000 projects) a county office's pages took 2.5–4 times as long without them
(ledger 21 → 53 ms, dashboard 42 → 161 ms, wall chart 46 → 166 ms in-process; docs/benchmarks.md,
session 10). A full ANALYZE of that database takes under 2 s; SQLite's sampled one (analysis_limit)
was as bad as none there, so it is not used. PostgreSQL's autovacuum keeps its own statistics.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections


def refresh(using: str = DEFAULT_DB_ALIAS) -> bool:
    """ANALYZE the SQLite database `using`; False (nothing done) on PostgreSQL."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return True
