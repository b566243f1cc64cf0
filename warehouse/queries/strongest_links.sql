-- The strongest links of a link run: Spearman ρ across n regions between a theme's rate in the posts of the
-- indicator's window and the indicator, with its bootstrap interval, permutation p and BH q. Association only.
-- Params: $run, $top.
SELECT theme, indicator, n_regions AS n, window_start, window_end, round(rho, 2) AS rho, round(ci_low, 2) AS ci_low,
       round(ci_high, 2) AS ci_high, round(p, 5) AS p, round(q, 3) AS q, direction
FROM theme_links WHERE run_id = $run AND rho IS NOT NULL
ORDER BY q, p LIMIT $top
