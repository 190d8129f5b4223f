-- /api/v1/summary?year=Y&month=M: the scope's figures and its blocker counts on :on
-- (the month's last day, or today if earlier; :day_after = start of the next day, local time).
-- name: totals
WITH
-- include: _plans
SELECT COUNT(*) AS n, SUM(planned_investment) AS plan, SUM(ytd) AS ytd, SUM(started) AS started,
       SUM(CASE WHEN light = 'green' THEN 1 ELSE 0 END) AS green,
       SUM(CASE WHEN light = 'yellow' THEN 1 ELSE 0 END) AS yellow,
       SUM(CASE WHEN light = 'red' THEN 1 ELSE 0 END) AS red
FROM lit;

-- name: blockers
SELECT COUNT(*) AS open,
       SUM(CASE WHEN b.deadline < :on THEN 1 ELSE 0 END) AS overdue
FROM blockers_blocker b
WHERE b.project_id IN (SELECT p.id FROM projects_project p
                       WHERE p.region_id IN (SELECT id FROM regions_region WHERE path LIKE :path_like))
  AND b.raised_at < :day_after AND (b.resolved_at IS NULL OR b.resolved_at >= :day_after);

-- name: tasks
-- Supervision tasks open on :on (created by then, not closed by then) and those past their deadline
-- (supervision.selectors.task_counts; an office sees its region's).
SELECT COUNT(*) AS open, SUM(CASE WHEN t.deadline < :on THEN 1 ELSE 0 END) AS overdue
FROM supervision_supervisiontask t
WHERE t.region_id IN (SELECT id FROM regions_region WHERE path LIKE :path_like)
  AND t.created_at < :day_after AND (t.closed_at IS NULL OR t.closed_at >= :day_after);
