-- Dashboard (/battlemap/?year=Y&month=M): the headline, the groupings it charts (sector; lead unit
-- with county; township), the monthly curve of counted amounts, and the blocker counts on :on.
-- The unit and township groups are all computed (the page ranks them all, then shows the best and
-- worst 20); the lagging and not-started lists are their first 15 rows.
-- name: headline
WITH
-- include: _plans
SELECT COUNT(*) AS n, SUM(planned_investment) AS plan, SUM(ytd) AS ytd, SUM(started) AS started,
       SUM(CASE WHEN light = 'green' THEN 1 ELSE 0 END) AS green,
       SUM(CASE WHEN light = 'yellow' THEN 1 ELSE 0 END) AS yellow,
       SUM(CASE WHEN light = 'red' THEN 1 ELSE 0 END) AS red
FROM lit;

-- name: sectors
WITH
-- include: _plans
SELECT s.id, s.name, COUNT(*) AS n, SUM(planned_investment) AS plan, SUM(ytd) AS ytd, SUM(started) AS started,
       SUM(CASE WHEN light = 'green' THEN 1 ELSE 0 END) AS green,
       SUM(CASE WHEN light = 'yellow' THEN 1 ELSE 0 END) AS yellow,
       SUM(CASE WHEN light = 'red' THEN 1 ELSE 0 END) AS red
FROM lit JOIN projects_sector s ON s.id = lit.sector_id
GROUP BY s.id, s.name, s.sort ORDER BY s.sort, s.name;

-- name: units_regions
WITH
-- include: _plans
SELECT region_id, lead_unit_id, COUNT(*) AS n, SUM(planned_investment) AS plan, SUM(ytd) AS ytd,
       SUM(started) AS started,
       SUM(CASE WHEN light = 'green' THEN 1 ELSE 0 END) AS green,
       SUM(CASE WHEN light = 'yellow' THEN 1 ELSE 0 END) AS yellow,
       SUM(CASE WHEN light = 'red' THEN 1 ELSE 0 END) AS red
FROM lit GROUP BY region_id, lead_unit_id;

-- name: townships
WITH
-- include: _plans
SELECT pt.township_id, COUNT(*) AS n, SUM(lit.planned_investment) AS plan, SUM(lit.ytd) AS ytd,
       SUM(CASE WHEN light = 'green' THEN 1 ELSE 0 END) AS green,
       SUM(CASE WHEN light = 'yellow' THEN 1 ELSE 0 END) AS yellow,
       SUM(CASE WHEN light = 'red' THEN 1 ELSE 0 END) AS red
FROM lit LEFT JOIN projects_project_townships pt ON pt.project_id = lit.project_id
GROUP BY pt.township_id;

-- name: lagging
WITH
-- include: _plans
SELECT code, project_id, rate - :target AS gap, light
FROM lit WHERE started = 1 AND light IN ('red', 'yellow')
ORDER BY rate - :target ASC NULLS LAST, code
LIMIT 15;

-- name: not_started
WITH
-- include: _plans
SELECT code, project_id, planned_start_month, light
FROM lit WHERE started = 0
ORDER BY planned_start_month ASC NULLS LAST, code
LIMIT 15;

-- name: curve
SELECT pm.month, SUM(pm.month_amount) AS amount
FROM reports_projectmonth pm
JOIN projects_yearplan yp ON yp.project_id = pm.project_id AND yp.year = pm.year
JOIN projects_project p ON p.id = pm.project_id
WHERE pm.year = :year AND pm.month <= :month
  AND p.region_id IN (SELECT id FROM regions_region WHERE path LIKE :path_like)
GROUP BY pm.month ORDER BY pm.month;

-- name: blockers
SELECT COUNT(*) AS open,
       SUM(CASE WHEN b.deadline < :on THEN 1 ELSE 0 END) AS overdue
FROM blockers_blocker b
WHERE b.project_id IN (SELECT p.id FROM projects_project p
                       WHERE p.region_id IN (SELECT id FROM regions_region WHERE path LIKE :path_like))
  AND b.raised_at < :day_after AND (b.resolved_at IS NULL OR b.resolved_at >= :day_after);

-- name: tasks
-- Supervision tasks open on :on and those past their deadline (the headline's task counts).
SELECT COUNT(*) AS open, SUM(CASE WHEN t.deadline < :on THEN 1 ELSE 0 END) AS overdue
FROM supervision_supervisiontask t
WHERE t.region_id IN (SELECT id FROM regions_region WHERE path LIKE :path_like)
  AND t.created_at < :day_after AND (t.closed_at IS NULL OR t.closed_at >= :day_after);

-- name: warnings
-- Projects carrying each kind of warning whose rule is SQL, over the whole scope (reports.warnings.counts
-- of the user's projects; the rules as in ledger.sql's page_warnings). Approvals late, land and funds
-- behind are worked out in Python from their rows: the page's own cost.
WITH
-- include: _plans
, mine AS (SELECT p.id FROM projects_project p WHERE p.region_id IN (SELECT id FROM scope)),
dec AS (
  SELECT yp.project_id, yp.planned_start_month,
         CASE WHEN p.actual_start <= :year_end OR pm.started = TRUE THEN 1 ELSE 0 END AS started
  FROM projects_yearplan yp
  JOIN projects_project p ON p.id = yp.project_id
  LEFT JOIN reports_projectmonth pm ON pm.project_id = yp.project_id AND pm.year = :year AND pm.month = 12
  WHERE yp.year = :year AND p.region_id IN (SELECT id FROM scope)
),
found AS (
  SELECT dec.project_id, 'tender_no_contract' AS kind FROM dec
  WHERE dec.started = 1 AND NOT EXISTS (
    SELECT 1 FROM works_tenderpackage t WHERE t.project_id = dec.project_id AND t.kind = 'construction'
      AND t.awarded_on IS NOT NULL AND t.contract_price IS NOT NULL)
  UNION ALL
  SELECT dec.project_id, 'tender_late' FROM dec
  WHERE dec.started = 0 AND dec.planned_start_month <= :tender_month AND NOT EXISTS (
    SELECT 1 FROM works_tenderpackage t WHERE t.project_id = dec.project_id AND t.kind = 'construction'
      AND t.announced_on IS NOT NULL)
  UNION ALL
  SELECT t.project_id, 'tender_above_budget' FROM works_tenderpackage t
  WHERE t.project_id IN (SELECT id FROM mine) AND t.contract_price > t.budget
  UNION ALL
  SELECT h.project_id, 'hazard_major_open' FROM safety_hazard h
  WHERE h.project_id IN (SELECT id FROM mine) AND h.level = 'major' AND h.state <> 'verified'
  UNION ALL
  SELECT m.project_id, 'milestone_slipped' FROM milestones_milestone m
  WHERE m.project_id IN (SELECT id FROM mine) AND m.year = :year AND m.deleted_at IS NULL
    AND m.actual_date IS NULL AND m.planned_date < :today
)
SELECT kind, COUNT(DISTINCT project_id) FROM found GROUP BY kind ORDER BY kind;
