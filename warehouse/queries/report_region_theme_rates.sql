-- Report: the regional theme rates of link run $run; theme_label names each theme.
SELECT * EXCLUDE (run_id), theme_label(theme) AS theme_label
FROM region_theme_rates WHERE run_id = $run ORDER BY theme, boundary_version, region_code
