-- The scenario results of a forecast run ($run) for the report.
SELECT scenario, kind, region_code, baseline, delta, delta_lo95, delta_hi95, point, lo95, hi95,
       coalesce(note, '') AS note
FROM scenario_results WHERE run_id = $run ORDER BY scenario, kind, region_code
