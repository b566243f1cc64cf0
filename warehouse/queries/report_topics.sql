-- Report: the topics of the models $models, largest first, with ten terms and example posts (outliers last).
SELECT t.model_id, t.topic_id, t.label, t.size,
       array_to_string(t.top_terms[1:10], ', ') AS top_terms,
       (SELECT string_agg(left(regexp_replace(p.text, '\s+', ' ', 'g'), 200), ' ‖ ')
        FROM posts p WHERE p.post_uid IN (SELECT unnest(t.examples))) AS examples
FROM topics t
WHERE t.model_id IN (SELECT unnest($models))
ORDER BY t.model_id, t.topic_id = -1, t.size DESC
