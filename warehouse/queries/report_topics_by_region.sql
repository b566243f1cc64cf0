-- Report: topic shares by region of the models $models.
SELECT * FROM v_topic_shares_region WHERE model_id IN (SELECT unnest($models)) ORDER BY model_id, region_code, topic_id
