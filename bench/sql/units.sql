-- Unit ranking (/reports/units/?year=Y&month=M): every lead unit's plan, ytd and rate, ranked by rate.
-- name: units
WITH
-- include: _plans
SELECT u.id AS unit_id, u.name AS unit, COUNT(*) AS n, SUM(planned_investment) AS plan, SUM(ytd) AS ytd,
       SUM(started) AS started,
       SUM(CASE WHEN light = 'green' THEN 1 ELSE 0 END) AS green,
       SUM(CASE WHEN light = 'yellow' THEN 1 ELSE 0 END) AS yellow,
       SUM(CASE WHEN light = 'red' THEN 1 ELSE 0 END) AS red
FROM lit JOIN projects_unit u ON u.id = lit.lead_unit_id
GROUP BY u.id, u.name
ORDER BY CASE WHEN SUM(planned_investment) > 0 THEN 0 ELSE 1 END,
         ROUND(SUM(ytd) * 100.0 / NULLIF(SUM(planned_investment), 0), 2) DESC, u.name;
