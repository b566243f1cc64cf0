-- Posts a coding sample can draw from, with their stratum and a seeded pseudo-random order ($seed): the same
-- seed draws the same posts from the same warehouse. Needs the temporary table _post_categories
-- (warehouse.marker_store.register_lexicon) for $category.
CREATE OR REPLACE TEMP TABLE _sample_frame AS
WITH regions AS (
    SELECT post_uid, arg_max(region_code, confidence) AS region_code
    FROM v_post_regions GROUP BY post_uid
), main_topics AS (
    SELECT d.post_uid, d.topic_id, t.label AS topic_label
    FROM doc_topics d JOIN topics t USING (model_id, topic_id)
    WHERE d.model_id = $model AND d.is_main
)
SELECT p.post_uid, p.url, p.published_local, p.source_id, p.source_kind, p.lang, r.region_code,
       m.topic_id, m.topic_label, p.text,
       CASE $stratify
            WHEN 'region' THEN coalesce(r.region_code, '(no region)')
            WHEN 'source' THEN p.source_id
            WHEN 'topic' THEN coalesce(m.topic_id || ': ' || m.topic_label, '(not modelled)')
            WHEN 'month' THEN coalesce(strftime(p.month, '%Y-%m'), '(no date)')
            ELSE 'all' END AS stratum,
       hash(p.post_uid || ':' || $seed) AS draw
FROM v_posts p
LEFT JOIN regions r USING (post_uid)
LEFT JOIN main_topics m USING (post_uid)
WHERE nullif(trim(p.text), '') IS NOT NULL
  AND ($topic IS NULL OR m.topic_id = $topic)
  AND ($category IS NULL OR p.post_uid IN (SELECT post_uid FROM _post_categories WHERE category = $category))
