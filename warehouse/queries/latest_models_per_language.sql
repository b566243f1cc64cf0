-- The latest topic model of each language.
SELECT arg_max(model_id, created_at) AS model_id FROM topic_models GROUP BY lang ORDER BY lang
