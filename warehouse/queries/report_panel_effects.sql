-- The panel effects of a forecast run ($run) for the report, smallest p first (unfitted themes last).
SELECT theme, measure, estimate, ci_low, ci_high, p, q, n, clusters, coalesce(note, '') AS note
FROM panel_effects WHERE run_id = $run ORDER BY p NULLS LAST, theme, measure
