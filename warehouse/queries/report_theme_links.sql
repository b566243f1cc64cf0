-- Report: the theme–indicator links of link run $run, strongest evidence first.
SELECT theme, indicator, boundary_version, n_regions, rho, ci_low, ci_high, p, q, direction
FROM theme_links
WHERE run_id = $run
ORDER BY q NULLS LAST, p
