-- The scope's year plans with their month figures and light: the CTE every page file starts with.
-- Kept here once and pasted by bench/sqlfiles.py where a page file says  -- include: _plans
-- Parameters: :path_like (region path + '%'), :year, :month, :month_end (last day of the month),
--   :target and :floor (schedule target and target − yellow threshold, percent), :sector_id (0 = all).
-- Light rules: reports/lights.py. ytd, started and the report status: reports_projectmonth.
scope AS (
  SELECT id FROM regions_region WHERE path LIKE :path_like
),
plans AS (
  SELECT yp.id, yp.project_id, yp.planned_investment, yp.planned_start_month, yp.stage,
         p.code, p.name, p.total_investment, p.sector_id, p.lead_unit_id, p.region_id, p.leader_id,
         p.actual_start,
         COALESCE(pm.ytd, 0) AS ytd,
         COALESCE(pm.month_amount, 0) AS month_amount,
         CASE WHEN p.actual_start <= :month_end OR pm.started = TRUE THEN 1 ELSE 0 END AS started
  FROM projects_yearplan yp
  JOIN projects_project p ON p.id = yp.project_id
  LEFT JOIN reports_projectmonth pm
    ON pm.project_id = yp.project_id AND pm.year = :year AND pm.month = :month
  WHERE yp.year = :year AND p.region_id IN (SELECT id FROM scope)
    AND (:sector_id = 0 OR p.sector_id = :sector_id)
),
rated AS (
  SELECT plans.*,
         CASE WHEN planned_investment > 0 THEN ROUND(ytd * 100.0 / planned_investment, 2) END AS rate
  FROM plans
),
lit AS (
  SELECT rated.*,
         CASE
           WHEN started = 0 AND planned_start_month IS NOT NULL THEN
             CASE WHEN planned_start_month > :month THEN 'green'
                  WHEN planned_start_month = :month THEN 'yellow' ELSE 'red' END
           WHEN started = 0 AND stage = 'preparatory' THEN 'green'
           WHEN NOT (planned_investment > 0) THEN 'green'
           WHEN rate >= :target THEN 'green'
           WHEN rate >= :floor THEN 'yellow'
           ELSE 'red'
         END AS light
  FROM rated
)
