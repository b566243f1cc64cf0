-- The strongest estimates of the post-level model of a markers run in one scope and unit kind: ratio of the
-- expected outcome (interactions per view; petitions: signatures per day, or odds of reaching the threshold) with
-- vs without the unit within a source (platform), the other candidates held fixed, with its 95% interval; the $top
-- largest and the $top smallest. Association, not effect. The column keeps the name engagement whatever the
-- outcome, as marker_scores' listing does.
-- Params: $run, $scope, $unit, $top.
(SELECT 'higher' AS engagement, term, round(exp(estimate), 3) AS ratio, round(exp(ci_low), 3) AS ci_low,
        round(exp(ci_high), 3) AS ci_high, round(q, 4) AS q, posts
 FROM marker_effects WHERE run_id = $run AND scope = $scope AND unit = $unit AND estimate > 0
 ORDER BY estimate / se DESC LIMIT $top)
UNION ALL
(SELECT 'lower', term, round(exp(estimate), 3), round(exp(ci_low), 3), round(exp(ci_high), 3), round(q, 4), posts
 FROM marker_effects WHERE run_id = $run AND scope = $scope AND unit = $unit AND estimate < 0
 ORDER BY estimate / se ASC LIMIT $top)
