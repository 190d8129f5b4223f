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
