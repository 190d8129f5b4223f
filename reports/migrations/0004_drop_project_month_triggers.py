"""Drop the database triggers that kept ProjectMonth: the application keeps it now.

Since this migration, every report write goes through reports.services, which recomputes the
project-year's rows in the same transaction (reports.months.refresh); bulk loads call
reports.months.rebuild(). The rows already there are right and stay.

All SQL here is frozen literal text (no import of application code). Going back reinstalls the
triggers exactly as 0002_project_month created them and re-derives the rows.
"""

from django.db import migrations

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS reports_pm_insert",
    "DROP TRIGGER IF EXISTS reports_pm_delete",
    "DROP TRIGGER IF EXISTS reports_pm_update",
    "DROP TRIGGER IF EXISTS reports_pm_update_old",
]

POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS reports_pm_sync ON reports_monthlyreport",
    "DROP FUNCTION IF EXISTS reports_pm_sync()",
    "DROP FUNCTION IF EXISTS reports_pm_refresh(bigint, integer)",
]

# For going back: the triggers of 0002_project_month, copied verbatim.
SQLITE_REINSTALL = [
    """CREATE TRIGGER reports_pm_insert AFTER INSERT ON reports_monthlyreport BEGIN DELETE FROM reports_projectmonth WHERE project_id = NEW.project_id AND "year" = NEW."year";

INSERT INTO reports_projectmonth (project_id, "year", "month", month_amount, ytd, started, report_status)
SELECT project_id, "year", n, month_amount,
       SUM(month_amount) OVER w,
       MAX(started_here) OVER w = 1,
       report_status
FROM (
    SELECT f.project_id, f."year", m.n,
           CASE WHEN r.status IN ('submitted', 'approved') THEN r.amount ELSE 0 END AS month_amount,
           CASE WHEN r.status IN ('submitted', 'approved') AND r.started THEN 1 ELSE 0 END AS started_here,
           r.status AS report_status
    FROM (
        SELECT project_id, "year", MIN("month") AS first_month
        FROM reports_monthlyreport WHERE project_id = NEW.project_id AND "year" = NEW."year" GROUP BY project_id, "year"
    ) f
    JOIN (SELECT 1 AS n UNION ALL SELECT 2 AS n UNION ALL SELECT 3 AS n UNION ALL SELECT 4 AS n UNION ALL SELECT 5 AS n UNION ALL SELECT 6 AS n UNION ALL SELECT 7 AS n UNION ALL SELECT 8 AS n UNION ALL SELECT 9 AS n UNION ALL SELECT 10 AS n UNION ALL SELECT 11 AS n UNION ALL SELECT 12 AS n) m ON m.n >= f.first_month
    LEFT JOIN reports_monthlyreport r ON r.project_id = f.project_id AND r."year" = f."year" AND r."month" = m.n
) g
WINDOW w AS (PARTITION BY project_id, "year" ORDER BY n ROWS UNBOUNDED PRECEDING)
; END""",
    """CREATE TRIGGER reports_pm_delete AFTER DELETE ON reports_monthlyreport BEGIN DELETE FROM reports_projectmonth WHERE project_id = OLD.project_id AND "year" = OLD."year";

INSERT INTO reports_projectmonth (project_id, "year", "month", month_amount, ytd, started, report_status)
SELECT project_id, "year", n, month_amount,
       SUM(month_amount) OVER w,
       MAX(started_here) OVER w = 1,
       report_status
FROM (
    SELECT f.project_id, f."year", m.n,
           CASE WHEN r.status IN ('submitted', 'approved') THEN r.amount ELSE 0 END AS month_amount,
           CASE WHEN r.status IN ('submitted', 'approved') AND r.started THEN 1 ELSE 0 END AS started_here,
           r.status AS report_status
    FROM (
        SELECT project_id, "year", MIN("month") AS first_month
        FROM reports_monthlyreport WHERE project_id = OLD.project_id AND "year" = OLD."year" GROUP BY project_id, "year"
    ) f
    JOIN (SELECT 1 AS n UNION ALL SELECT 2 AS n UNION ALL SELECT 3 AS n UNION ALL SELECT 4 AS n UNION ALL SELECT 5 AS n UNION ALL SELECT 6 AS n UNION ALL SELECT 7 AS n UNION ALL SELECT 8 AS n UNION ALL SELECT 9 AS n UNION ALL SELECT 10 AS n UNION ALL SELECT 11 AS n UNION ALL SELECT 12 AS n) m ON m.n >= f.first_month
    LEFT JOIN reports_monthlyreport r ON r.project_id = f.project_id AND r."year" = f."year" AND r."month" = m.n
) g
WINDOW w AS (PARTITION BY project_id, "year" ORDER BY n ROWS UNBOUNDED PRECEDING)
; END""",
    """CREATE TRIGGER reports_pm_update AFTER UPDATE OF project_id, "year", "month", amount, status, started ON reports_monthlyreport BEGIN DELETE FROM reports_projectmonth WHERE project_id = NEW.project_id AND "year" = NEW."year";

INSERT INTO reports_projectmonth (project_id, "year", "month", month_amount, ytd, started, report_status)
SELECT project_id, "year", n, month_amount,
       SUM(month_amount) OVER w,
       MAX(started_here) OVER w = 1,
       report_status
FROM (
    SELECT f.project_id, f."year", m.n,
           CASE WHEN r.status IN ('submitted', 'approved') THEN r.amount ELSE 0 END AS month_amount,
           CASE WHEN r.status IN ('submitted', 'approved') AND r.started THEN 1 ELSE 0 END AS started_here,
           r.status AS report_status
    FROM (
        SELECT project_id, "year", MIN("month") AS first_month
        FROM reports_monthlyreport WHERE project_id = NEW.project_id AND "year" = NEW."year" GROUP BY project_id, "year"
    ) f
    JOIN (SELECT 1 AS n UNION ALL SELECT 2 AS n UNION ALL SELECT 3 AS n UNION ALL SELECT 4 AS n UNION ALL SELECT 5 AS n UNION ALL SELECT 6 AS n UNION ALL SELECT 7 AS n UNION ALL SELECT 8 AS n UNION ALL SELECT 9 AS n UNION ALL SELECT 10 AS n UNION ALL SELECT 11 AS n UNION ALL SELECT 12 AS n) m ON m.n >= f.first_month
    LEFT JOIN reports_monthlyreport r ON r.project_id = f.project_id AND r."year" = f."year" AND r."month" = m.n
) g
WINDOW w AS (PARTITION BY project_id, "year" ORDER BY n ROWS UNBOUNDED PRECEDING)
; END""",
    """CREATE TRIGGER reports_pm_update_old AFTER UPDATE OF project_id, "year" ON reports_monthlyreport WHEN OLD.project_id <> NEW.project_id OR OLD."year" <> NEW."year" BEGIN DELETE FROM reports_projectmonth WHERE project_id = OLD.project_id AND "year" = OLD."year";

INSERT INTO reports_projectmonth (project_id, "year", "month", month_amount, ytd, started, report_status)
SELECT project_id, "year", n, month_amount,
       SUM(month_amount) OVER w,
       MAX(started_here) OVER w = 1,
       report_status
FROM (
    SELECT f.project_id, f."year", m.n,
           CASE WHEN r.status IN ('submitted', 'approved') THEN r.amount ELSE 0 END AS month_amount,
           CASE WHEN r.status IN ('submitted', 'approved') AND r.started THEN 1 ELSE 0 END AS started_here,
           r.status AS report_status
    FROM (
        SELECT project_id, "year", MIN("month") AS first_month
        FROM reports_monthlyreport WHERE project_id = OLD.project_id AND "year" = OLD."year" GROUP BY project_id, "year"
    ) f
    JOIN (SELECT 1 AS n UNION ALL SELECT 2 AS n UNION ALL SELECT 3 AS n UNION ALL SELECT 4 AS n UNION ALL SELECT 5 AS n UNION ALL SELECT 6 AS n UNION ALL SELECT 7 AS n UNION ALL SELECT 8 AS n UNION ALL SELECT 9 AS n UNION ALL SELECT 10 AS n UNION ALL SELECT 11 AS n UNION ALL SELECT 12 AS n) m ON m.n >= f.first_month
    LEFT JOIN reports_monthlyreport r ON r.project_id = f.project_id AND r."year" = f."year" AND r."month" = m.n
) g
WINDOW w AS (PARTITION BY project_id, "year" ORDER BY n ROWS UNBOUNDED PRECEDING)
; END""",
]

POSTGRESQL_REINSTALL = [
    """
CREATE OR REPLACE FUNCTION reports_pm_refresh(p_project bigint, p_year integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM reports_projectmonth WHERE project_id = p_project AND "year" = p_year;
    
INSERT INTO reports_projectmonth (project_id, "year", "month", month_amount, ytd, started, report_status)
SELECT project_id, "year", n, month_amount,
       SUM(month_amount) OVER w,
       MAX(started_here) OVER w = 1,
       report_status
FROM (
    SELECT f.project_id, f."year", m.n,
           CASE WHEN r.status IN ('submitted', 'approved') THEN r.amount ELSE 0 END AS month_amount,
           CASE WHEN r.status IN ('submitted', 'approved') AND r.started THEN 1 ELSE 0 END AS started_here,
           r.status AS report_status
    FROM (
        SELECT project_id, "year", MIN("month") AS first_month
        FROM reports_monthlyreport WHERE project_id = p_project AND "year" = p_year GROUP BY project_id, "year"
    ) f
    JOIN (SELECT 1 AS n UNION ALL SELECT 2 AS n UNION ALL SELECT 3 AS n UNION ALL SELECT 4 AS n UNION ALL SELECT 5 AS n UNION ALL SELECT 6 AS n UNION ALL SELECT 7 AS n UNION ALL SELECT 8 AS n UNION ALL SELECT 9 AS n UNION ALL SELECT 10 AS n UNION ALL SELECT 11 AS n UNION ALL SELECT 12 AS n) m ON m.n >= f.first_month
    LEFT JOIN reports_monthlyreport r ON r.project_id = f.project_id AND r."year" = f."year" AND r."month" = m.n
) g
WINDOW w AS (PARTITION BY project_id, "year" ORDER BY n ROWS UNBOUNDED PRECEDING)
;
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
    """
CREATE TRIGGER reports_pm_sync
AFTER INSERT OR DELETE OR UPDATE OF project_id, "year", "month", amount, status, started ON reports_monthlyreport
FOR EACH ROW EXECUTE FUNCTION reports_pm_sync()""",
]

RESYNC = [
    "DELETE FROM reports_projectmonth",
    """
INSERT INTO reports_projectmonth (project_id, "year", "month", month_amount, ytd, started, report_status)
SELECT project_id, "year", n, month_amount,
       SUM(month_amount) OVER w,
       MAX(started_here) OVER w = 1,
       report_status
FROM (
    SELECT f.project_id, f."year", m.n,
           CASE WHEN r.status IN ('submitted', 'approved') THEN r.amount ELSE 0 END AS month_amount,
           CASE WHEN r.status IN ('submitted', 'approved') AND r.started THEN 1 ELSE 0 END AS started_here,
           r.status AS report_status
    FROM (
        SELECT project_id, "year", MIN("month") AS first_month
        FROM reports_monthlyreport WHERE 1 = 1 GROUP BY project_id, "year"
    ) f
    JOIN (SELECT 1 AS n UNION ALL SELECT 2 AS n UNION ALL SELECT 3 AS n UNION ALL SELECT 4 AS n UNION ALL SELECT 5 AS n UNION ALL SELECT 6 AS n UNION ALL SELECT 7 AS n UNION ALL SELECT 8 AS n UNION ALL SELECT 9 AS n UNION ALL SELECT 10 AS n UNION ALL SELECT 11 AS n UNION ALL SELECT 12 AS n) m ON m.n >= f.first_month
    LEFT JOIN reports_monthlyreport r ON r.project_id = f.project_id AND r."year" = f."year" AND r."month" = m.n
) g
WINDOW w AS (PARTITION BY project_id, "year" ORDER BY n ROWS UNBOUNDED PRECEDING)
""",
]


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql, params=None)


def reinstall_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = SQLITE_DROP + SQLITE_REINSTALL
    elif vendor == "postgresql":
        statements = POSTGRESQL_REINSTALL
    else:
        return  # 0002 installed none on other databases
    for sql in statements + RESYNC:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_report_indexes"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, reinstall_triggers),
    ]
