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

-- name: page_missing
-- What each project of the page lacks to start (approvals.readiness.missing): its required approval
-- nodes not approved (in plan order), whether it has a node plan at all, and each township's land not
-- all handed over (soft-deleted rows left out).
WITH
-- include: _plans
, page AS (SELECT project_id FROM lit WHERE started = 0 ORDER BY planned_start_month, code LIMIT 100)
SELECT n.project_id, 'node' AS what, n.name, d.name AS owner, n.sort, n.id
FROM approvals_approvalnode n LEFT JOIN projects_unit d ON d.id = n.department_id
WHERE n.project_id IN (SELECT project_id FROM page) AND n.deleted_at IS NULL
  AND n.required_for_start AND n.approved_on IS NULL
UNION ALL
SELECT page.project_id, 'no plan', NULL, NULL, 0, 0
FROM page
WHERE NOT EXISTS (SELECT 1 FROM approvals_approvalnode n
                  WHERE n.project_id = page.project_id AND n.deleted_at IS NULL)
UNION ALL
SELECT lp.project_id, 'land', t.name, NULL, 0, lp.id
FROM land_landplan lp JOIN regions_township t ON t.id = lp.township_id
WHERE lp.project_id IN (SELECT project_id FROM page) AND lp.deleted_at IS NULL
  AND lp.area_needed > (SELECT COALESCE(SUM(m.handed_over), 0) FROM land_landmonth m WHERE m.plan_id = lp.id)
ORDER BY 1, 2, 5, 6;
