-- The indicators a link run did not test, and why (too few regions with enough posts in the window before the
-- vote, or macro-region values), as the run recorded them. Params: $run.
WITH r AS (SELECT outputs -> 'not_tested' AS not_tested FROM analysis_runs WHERE run_id = $run),
names AS (SELECT unnest(json_keys(not_tested)) AS indicator FROM r)
SELECT n.indicator, r.not_tested ->> n.indicator AS why
FROM names n, r
ORDER BY n.indicator
