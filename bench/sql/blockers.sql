-- SQLite form (blockers.pg.sql for PostgreSQL): the scope as IN (projects of the region) walks
-- the blockers' project index; a join made SQLite scan all 50,000.
-- Blocker register (/blockers/): every blocker of the scope's projects (no filter), counted by kind
-- and by lead unit (the 21 most blocked: 20 shown + "more"), and the first page of 50, overdue first.
-- "Overdue now": open or coordinating with a deadline before :today.
-- name: totals
SELECT COUNT(*) AS n,
       SUM(CASE WHEN b.status IN ('open', 'coordinating') AND b.deadline < :today THEN 1 ELSE 0 END) AS overdue
FROM blockers_blocker b
WHERE b.project_id IN (SELECT p.id FROM projects_project p
                       WHERE p.region_id IN (SELECT id FROM regions_region WHERE path LIKE :path_like));

-- name: by_kind
SELECT b.kind, COUNT(*) AS n,
       SUM(CASE WHEN b.status IN ('open', 'coordinating') AND b.deadline < :today THEN 1 ELSE 0 END) AS overdue
FROM blockers_blocker b
WHERE b.project_id IN (SELECT p.id FROM projects_project p
                       WHERE p.region_id IN (SELECT id FROM regions_region WHERE path LIKE :path_like))
GROUP BY b.kind ORDER BY n DESC, b.kind;

-- name: by_unit
SELECT b.lead_unit_id, u.name, COUNT(*) AS n,
       SUM(CASE WHEN b.status IN ('open', 'coordinating') AND b.deadline < :today THEN 1 ELSE 0 END) AS overdue
FROM blockers_blocker b
LEFT JOIN projects_unit u ON u.id = b.lead_unit_id
WHERE b.project_id IN (SELECT p.id FROM projects_project p
                       WHERE p.region_id IN (SELECT id FROM regions_region WHERE path LIKE :path_like))
GROUP BY b.lead_unit_id, u.name ORDER BY n DESC, u.name LIMIT 21;

-- name: page
WITH page AS MATERIALIZED (
  SELECT b.id, b.status, b.deadline, b.raised_at,
         CASE WHEN b.status IN ('open', 'coordinating') AND b.deadline < :today THEN 1 ELSE 0 END AS overdue
  FROM blockers_blocker b
  WHERE b.project_id IN (SELECT p.id FROM projects_project p
                         WHERE p.region_id IN (SELECT id FROM regions_region WHERE path LIKE :path_like))
  ORDER BY overdue DESC, b.deadline, b.raised_at DESC, b.id
  LIMIT 50
)
SELECT page.id, page.overdue, page.deadline, b.kind, b.status, b.level, b.description,
       p.code, p.name, r.name AS region, u.name AS unit, l.title AS leader
FROM page JOIN blockers_blocker b ON b.id = page.id
JOIN projects_project p ON p.id = b.project_id
JOIN regions_region r ON r.id = p.region_id
LEFT JOIN projects_unit u ON u.id = b.lead_unit_id
LEFT JOIN projects_leader l ON l.id = b.leader_id
ORDER BY page.overdue DESC, page.deadline, page.raised_at DESC, page.id;
