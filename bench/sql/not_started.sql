-- Not-started board (/reports/not-started/?year=Y&month=M): the plans not started by the month's
-- end, the first 100 by planned start month and code, their open blockers and start commitments.
-- name: totals
WITH
-- include: _plans
SELECT COUNT(*) AS n,
       SUM(CASE WHEN light = 'green' THEN 1 ELSE 0 END) AS green,
       SUM(CASE WHEN light = 'yellow' THEN 1 ELSE 0 END) AS yellow,
       SUM(CASE WHEN light = 'red' THEN 1 ELSE 0 END) AS red
FROM lit WHERE started = 0;

-- name: page
WITH
-- include: _plans
, page AS MATERIALIZED (SELECT * FROM lit WHERE started = 0 ORDER BY planned_start_month, code LIMIT 100)
SELECT page.code, page.name, u.name AS unit, page.planned_start_month, page.planned_investment, page.light,
       page.project_id
FROM page JOIN projects_unit u ON u.id = page.lead_unit_id
ORDER BY page.planned_start_month, page.code;

-- name: page_blockers
WITH
-- include: _plans
, page AS (SELECT project_id FROM lit WHERE started = 0 ORDER BY planned_start_month, code LIMIT 100)
SELECT b.project_id, b.id, b.kind, b.deadline
FROM blockers_blocker b
WHERE b.project_id IN (SELECT project_id FROM page) AND b.status IN ('open', 'coordinating')
ORDER BY b.deadline, b.id;

-- name: page_commitments
WITH
-- include: _plans
, page AS (SELECT project_id FROM lit WHERE started = 0 ORDER BY planned_start_month, code LIMIT 100)
SELECT c.project_id, c.committed_date, c.at
FROM reports_startcommitment c
WHERE c.project_id IN (SELECT project_id FROM page)
ORDER BY c.at, c.id;
