-- The $top units of kind $unit with the highest and the lowest z in scope $scope of markers run $run, in the
-- report's words: goes with higher or lower engagement where q ≤ $q_level, else no evidence; topics by their labels.
(SELECT marker_direction(z, q, q_level := $q_level) AS engagement, marker_label(unit, term) AS term, lang,
        round(z, 2) AS z, round(delta, 3) AS delta, round(q, 4) AS q, count_high, count_low
 FROM marker_scores
 WHERE run_id = $run AND scope = $scope AND unit = $unit AND z > 0
 ORDER BY z DESC
 LIMIT $top)
UNION ALL
(SELECT marker_direction(z, q, q_level := $q_level), marker_label(unit, term), lang, round(z, 2), round(delta, 3),
        round(q, 4), count_high, count_low
 FROM marker_scores
 WHERE run_id = $run AND scope = $scope AND unit = $unit AND z < 0
 ORDER BY z ASC
 LIMIT $top)
