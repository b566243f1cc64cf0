-- Report: monthly topic shares of the models $models.
SELECT * FROM v_topic_shares_monthly WHERE model_id IN (SELECT unnest($models)) ORDER BY model_id, month, topic_id
