-- The forecasts of a run ($run) for the report: per kind, the chosen model and the naive baseline, per region and KZ.
SELECT kind, region_code, model, role, point, lo80, hi80, lo95, hi95
FROM forecasts WHERE run_id = $run ORDER BY kind, role, region_code
