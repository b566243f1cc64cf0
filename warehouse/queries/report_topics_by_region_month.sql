-- Topic shares by region and month: the mean weight of each topic over the modelled posts attributed to the
-- region (any method) in the month (Kazakhstan time). Small cells are noisy: posts says how many there are.
WITH docs AS (
    SELECT DISTINCT d.model_id, d.post_uid, r.region_code, p.month
    FROM doc_topics d JOIN v_post_regions r USING (post_uid) JOIN v_posts p USING (post_uid)
    WHERE d.is_main AND d.model_id IN (SELECT unnest($models))
), totals AS (
    SELECT model_id, region_code, month, count(*) AS posts FROM docs GROUP BY ALL
)
SELECT x.model_id, x.region_code, x.month, d.topic_id, tp.label, t.posts,
       round(sum(d.weight) / any_value(t.posts), 4) AS share
FROM doc_topics d
JOIN docs x USING (model_id, post_uid)
JOIN totals t ON t.model_id = x.model_id AND t.region_code = x.region_code AND t.month = x.month
JOIN topics tp ON tp.model_id = d.model_id AND tp.topic_id = d.topic_id
WHERE d.topic_id >= 0
GROUP BY ALL
ORDER BY x.model_id, x.region_code, x.month, d.topic_id
