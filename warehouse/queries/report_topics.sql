-- Report: the topics of the models $models, largest first, with ten terms and example posts (outliers last).
-- The example posts are read in one join (a subquery per topic would scan the posts once per topic).
WITH chosen AS (
    SELECT * FROM topics WHERE model_id IN (SELECT unnest($models))
), example_ids AS (
    SELECT model_id, topic_id, unnest(examples) AS post_uid, generate_subscripts(examples, 1) AS pos FROM chosen
), example_texts AS (
    SELECT e.model_id, e.topic_id,
           string_agg(left(regexp_replace(p.text, '\s+', ' ', 'g'), 200), ' ‖ ' ORDER BY e.pos) AS examples
    FROM example_ids e JOIN posts p USING (post_uid)
    GROUP BY ALL
)
SELECT t.model_id, t.topic_id, t.label, t.size, array_to_string(t.top_terms[1:10], ', ') AS top_terms, x.examples
FROM chosen t LEFT JOIN example_texts x USING (model_id, topic_id)
ORDER BY t.model_id, t.topic_id = -1, t.size DESC
