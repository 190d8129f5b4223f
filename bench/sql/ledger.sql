-- Ledger (/projects/?year=Y[&sector=S]): totals of the filtered plans, the first page of 50 rows
-- by code, their townships, and the years offered in the year select.
-- name: totals
WITH
-- include: _plans
SELECT COUNT(*) AS n, SUM(total_investment) AS total, SUM(planned_investment) AS plan, SUM(ytd) AS ytd,
       SUM(CASE WHEN light = 'green' THEN 1 ELSE 0 END) AS green,
       SUM(CASE WHEN light = 'yellow' THEN 1 ELSE 0 END) AS yellow,
       SUM(CASE WHEN light = 'red' THEN 1 ELSE 0 END) AS red
FROM lit;

-- name: page
-- The page is cut on the bare plans first (by code: the Project.code index), then only its
-- rows get their month figures, light and names (MATERIALIZED: each part planned on its own).
WITH
-- include: _plans
, cut AS MATERIALIZED (
  SELECT yp.id FROM projects_yearplan yp JOIN projects_project p ON p.id = yp.project_id
  WHERE yp.year = :year AND p.region_id IN (SELECT id FROM scope)
    AND (:sector_id = 0 OR p.sector_id = :sector_id)
  ORDER BY p.code LIMIT :page_size
),
page AS MATERIALIZED (SELECT lit.* FROM lit WHERE lit.id IN (SELECT id FROM cut))
SELECT page.code, page.name, s.name AS sector, page.stage, u.name AS unit, l.title AS leader,
       r.name AS region, page.total_investment, page.planned_investment, page.ytd, page.rate, page.light,
       page.actual_start, page.project_id
FROM page
JOIN projects_sector s ON s.id = page.sector_id
JOIN projects_unit u ON u.id = page.lead_unit_id
LEFT JOIN projects_leader l ON l.id = page.leader_id
JOIN regions_region r ON r.id = page.region_id
ORDER BY page.code;

-- name: townships
WITH
-- include: _plans
, cut AS MATERIALIZED (
  SELECT yp.project_id FROM projects_yearplan yp JOIN projects_project p ON p.id = yp.project_id
  WHERE yp.year = :year AND p.region_id IN (SELECT id FROM scope)
    AND (:sector_id = 0 OR p.sector_id = :sector_id)
  ORDER BY p.code LIMIT :page_size
)
SELECT pt.project_id, t.name
FROM projects_project_townships pt JOIN regions_township t ON t.id = pt.township_id
WHERE pt.project_id IN (SELECT project_id FROM cut);

-- name: years
SELECT DISTINCT yp.year
FROM projects_yearplan yp JOIN projects_project p ON p.id = yp.project_id
WHERE p.region_id IN (SELECT id FROM regions_region WHERE path LIKE :path_like)
ORDER BY yp.year DESC;

-- name: page_warnings
-- The warnings (预警) of the page's projects whose rules are SQL (reports.warnings' providers): the
-- bidding warnings (works/warnings.py: started — a counted report says so by December or the actual
-- start is by the year's end — with no construction contract awarded; not started, the planned start
-- month at most KEYPROJ_TENDER_LEAD_DAYS away or past and no construction tender announced; a package
-- let above its ceiling), an unverified major hazard (safety), each slipped milestone of the year
-- (milestones). Approvals late (working-day limits), land and funds behind are worked out in Python
-- from their rows, so they are not here: the page reads and computes them on top of this.
WITH
-- include: _plans
, cut AS MATERIALIZED (
  SELECT yp.project_id FROM projects_yearplan yp JOIN projects_project p ON p.id = yp.project_id
  WHERE yp.year = :year AND p.region_id IN (SELECT id FROM scope)
    AND (:sector_id = 0 OR p.sector_id = :sector_id)
  ORDER BY p.code LIMIT :page_size
),
dec AS (
  SELECT yp.project_id, yp.planned_start_month,
         CASE WHEN p.actual_start <= :year_end OR pm.started = TRUE THEN 1 ELSE 0 END AS started
  FROM projects_yearplan yp
  JOIN projects_project p ON p.id = yp.project_id
  LEFT JOIN reports_projectmonth pm ON pm.project_id = yp.project_id AND pm.year = :year AND pm.month = 12
  WHERE yp.year = :year AND yp.project_id IN (SELECT project_id FROM cut)
)
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
SELECT DISTINCT t.project_id, 'tender_above_budget' FROM works_tenderpackage t
WHERE t.project_id IN (SELECT project_id FROM cut) AND t.contract_price > t.budget
UNION ALL
SELECT DISTINCT h.project_id, 'hazard_major_open' FROM safety_hazard h
WHERE h.project_id IN (SELECT project_id FROM cut) AND h.level = 'major' AND h.state <> 'verified'
UNION ALL
SELECT m.project_id, 'milestone_slipped' FROM milestones_milestone m
WHERE m.project_id IN (SELECT project_id FROM cut) AND m.year = :year AND m.deleted_at IS NULL
  AND m.actual_date IS NULL AND m.planned_date < :today
ORDER BY 1, 2;
