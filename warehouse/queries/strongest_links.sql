-- The $top theme–indicator links of link run $run with the smallest q.
SELECT theme, indicator, n_regions, round(rho, 2) AS rho, round(ci_low, 2) AS ci_low,
       round(ci_high, 2) AS ci_high, round(p, 4) AS p, round(q, 3) AS q, direction
FROM theme_links
WHERE run_id = $run AND rho IS NOT NULL
ORDER BY q, p
LIMIT $top
