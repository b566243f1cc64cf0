-- Report: the theme–indicator links of link run $run, strongest evidence first; theme_label names each theme.
SELECT theme, indicator, boundary_version, n_regions, rho, ci_low, ci_high, p, q, direction,
       theme_label(theme) AS theme_label
FROM theme_links
WHERE run_id = $run
ORDER BY q NULLS LAST, p
