-- The latest topic-effects run of each reported model ($models), with topic labels.
WITH latest AS (
    SELECT e.model_id, arg_max(e.run_id, r.started_at) AS run_id
    FROM topic_effects e JOIN analysis_runs r USING (run_id)
    WHERE e.model_id IN (SELECT unnest($models)) AND r.status = 'completed'
    GROUP BY e.model_id
)
SELECT e.model_id, e.run_id, e.topic_id, t.label, e.covariate, e.level, e.estimate, e.std_error, e.ci_low,
       e.ci_high, e.p, e.n_docs, e.draws
FROM topic_effects e JOIN latest USING (model_id, run_id) JOIN topics t USING (model_id, topic_id)
ORDER BY e.model_id, e.topic_id, e.covariate, e.level
