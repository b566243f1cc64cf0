-- The latest topic model of each method and language.
SELECT arg_max(model_id, created_at) AS model_id FROM topic_models GROUP BY method, lang ORDER BY lang, method
