-- The $top units of kind $unit with the highest and the lowest z in scope $scope of markers run $run.
(SELECT 'raises' AS direction, term, lang, round(z, 2) AS z, round(delta, 3) AS delta,
        round(q, 4) AS q, count_high, count_low
 FROM marker_scores
 WHERE run_id = $run AND scope = $scope AND unit = $unit AND z > 0
 ORDER BY z DESC
 LIMIT $top)
UNION ALL
(SELECT 'lowers', term, lang, round(z, 2), round(delta, 3), round(q, 4), count_high, count_low
 FROM marker_scores
 WHERE run_id = $run AND scope = $scope AND unit = $unit AND z < 0
 ORDER BY z ASC
 LIMIT $top)
