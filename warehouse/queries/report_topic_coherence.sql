-- Report: coherence per number of topics of the models $models.
SELECT * FROM topic_coherence WHERE model_id IN (SELECT unnest($models)) ORDER BY model_id, k
