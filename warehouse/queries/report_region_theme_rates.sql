-- Report: the regional theme rates of link run $run.
SELECT * EXCLUDE (run_id) FROM region_theme_rates WHERE run_id = $run ORDER BY theme, boundary_version, region_code
