-- Report: the marker scores of markers run $run; a unit goes with higher or lower engagement at q ≤ $q_level.
-- label names a topic by its label (marker_label), never by a bare id.
SELECT scope, unit, term, lang, z, delta, q, count_high, count_low, count_all,
       marker_direction(z, q, q_level := $q_level) AS engagement, marker_label(unit, term) AS label
FROM marker_scores
WHERE run_id = $run
ORDER BY scope, unit, z DESC
