-- Report: the marker scores of markers run $run; a unit goes with higher or lower engagement at q ≤ $q_level.
SELECT scope, unit, term, lang, z, delta, q, count_high, count_low, count_all,
       CASE WHEN q <= $q_level THEN (CASE WHEN z > 0 THEN 'raises' ELSE 'lowers' END)
            ELSE 'no evidence' END AS engagement
FROM marker_scores
WHERE run_id = $run
ORDER BY scope, unit, z DESC
