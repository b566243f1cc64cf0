-- 1 when topic model $model is registered.
SELECT 1 FROM topic_models WHERE model_id = $model
