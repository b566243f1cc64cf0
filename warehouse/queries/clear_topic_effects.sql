-- The $top largest differences in topic share of topic-effects run $run whose 95% interval leaves out 0.
SELECT e.topic_id, t.label, e.covariate, e.level, round(e.estimate, 3) AS estimate,
       round(e.ci_low, 3) AS ci_low, round(e.ci_high, 3) AS ci_high
FROM topic_effects e JOIN topics t USING (model_id, topic_id)
WHERE e.run_id = $run AND e.covariate <> '(intercept)' AND (e.ci_low > 0 OR e.ci_high < 0)
ORDER BY abs(e.estimate) DESC
LIMIT $top
