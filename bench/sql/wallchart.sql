-- Wall chart (/battlemap/wall/?year=Y&month=M, by sector): the first 150 plans by sector and code,
-- each sector's figures, the page's counted monthly amounts, monthly plans and open blockers on :on.
-- name: sectors
WITH
-- include: _plans
SELECT s.id, s.name, COUNT(*) AS n, SUM(planned_investment) AS plan, SUM(ytd) AS ytd, SUM(started) AS started,
       SUM(CASE WHEN light = 'green' THEN 1 ELSE 0 END) AS green,
       SUM(CASE WHEN light = 'yellow' THEN 1 ELSE 0 END) AS yellow,
       SUM(CASE WHEN light = 'red' THEN 1 ELSE 0 END) AS red
FROM lit JOIN projects_sector s ON s.id = lit.sector_id
GROUP BY s.id, s.name, s.sort ORDER BY s.sort, s.name;

-- name: page
WITH
-- include: _plans
, page AS MATERIALIZED (
  SELECT lit.*, s.sort AS sector_sort, s.name AS sector FROM lit JOIN projects_sector s ON s.id = lit.sector_id
  ORDER BY s.sort, s.name, lit.code LIMIT 150
)
SELECT page.code, page.name, u.name AS unit, l.title AS leader, page.planned_investment, page.ytd, page.rate,
       page.light, page.project_id, page.id AS plan_id
FROM page
JOIN projects_unit u ON u.id = page.lead_unit_id
LEFT JOIN projects_leader l ON l.id = page.leader_id
ORDER BY page.sector_sort, page.sector, page.code;

-- name: page_months
WITH
-- include: _plans
, page AS (
  SELECT lit.project_id FROM lit JOIN projects_sector s ON s.id = lit.sector_id
  ORDER BY s.sort, s.name, lit.code LIMIT 150
)
SELECT mr.project_id, mr.month, mr.amount
FROM reports_monthlyreport mr
WHERE mr.project_id IN (SELECT project_id FROM page) AND mr.year = :year
  AND mr.status IN ('submitted', 'approved');

-- name: page_plan_months
WITH
-- include: _plans
, page AS (
  SELECT lit.id FROM lit JOIN projects_sector s ON s.id = lit.sector_id
  ORDER BY s.sort, s.name, lit.code LIMIT 150
)
SELECT pm.plan_id, pm.month, pm.amount
FROM projects_planmonth pm
WHERE pm.plan_id IN (SELECT id FROM page);

-- name: page_blockers
WITH
-- include: _plans
, page AS (
  SELECT lit.project_id FROM lit JOIN projects_sector s ON s.id = lit.sector_id
  ORDER BY s.sort, s.name, lit.code LIMIT 150
)
SELECT b.project_id, COUNT(*) AS open,
       SUM(CASE WHEN b.deadline < :on THEN 1 ELSE 0 END) AS overdue
FROM blockers_blocker b
WHERE b.project_id IN (SELECT project_id FROM page)
  AND b.raised_at < :day_after AND (b.resolved_at IS NULL OR b.resolved_at >= :day_after)
GROUP BY b.project_id;

-- name: page_milestones
-- The page's milestones of the year (the wall marks each in its month).
WITH
-- include: _plans
, page AS (
  SELECT lit.project_id FROM lit JOIN projects_sector s ON s.id = lit.sector_id
  ORDER BY s.sort, s.name, lit.code LIMIT 150
)
SELECT m.project_id, m.name, m.planned_date, m.actual_date
FROM milestones_milestone m
WHERE m.project_id IN (SELECT project_id FROM page) AND m.year = :year AND m.deleted_at IS NULL
ORDER BY m.project_id, m.planned_date, m.id;
