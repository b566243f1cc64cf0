-- Report: the theme–indicator links that link run $run tested (theme rates from the posts of each indicator's
-- window), strongest evidence first; theme_label names each theme; the indicators it did not test are in
-- links_not_tested.sql.
SELECT theme, indicator, boundary_version, window_start, window_end, n_regions, rho, ci_low, ci_high, p, q,
       permutations, direction, theme_label(theme) AS theme_label
FROM theme_links
WHERE run_id = $run AND note IS NULL
ORDER BY q NULLS LAST, p
