-- Theme shares per window and region, in percent, from _panel_posts: lexicon categories (share of the posts
-- that contain the category, _post_categories) and topics of $models (mean topic weight over the modelled
-- posts); the engagement share is the part of the region's summed relative engagement on the theme's posts.
WITH weights AS (
    SELECT 'category' AS family, 'category:' || category AS theme, post_uid, 1.0 AS weight FROM _post_categories
    UNION ALL
    SELECT model_id, 'topic:' || model_id || ':' || topic_id, post_uid, weight FROM doc_topics
    WHERE model_id IN (SELECT unnest($models)) AND topic_id >= 0
), members AS (
    SELECT DISTINCT 'category' AS family, post_uid FROM _panel_posts
    UNION ALL
    SELECT DISTINCT model_id, post_uid FROM doc_topics WHERE model_id IN (SELECT unnest($models))
), totals AS (
    SELECT m.family, p.vote_id, p.region_code, count(*) AS posts, sum(p.relative) AS engagement
    FROM _panel_posts p JOIN members m USING (post_uid)
    GROUP BY ALL
), themes AS (
    SELECT DISTINCT family, theme FROM weights
), hits AS (
    SELECT w.theme, p.vote_id, p.region_code, sum(w.weight) AS weight, sum(w.weight * p.relative) AS engaged
    FROM weights w JOIN _panel_posts p USING (post_uid)
    GROUP BY ALL
)
SELECT t.vote_id, t.region_code, th.theme,
       100 * coalesce(h.weight, 0) / t.posts AS share,
       CASE WHEN t.engagement > 0 THEN 100 * coalesce(h.engaged, 0) / t.engagement END AS engagement_share
FROM themes th
JOIN totals t USING (family)
LEFT JOIN hits h ON h.theme = th.theme AND h.vote_id = t.vote_id AND h.region_code = t.region_code
ORDER BY t.vote_id, t.region_code, th.theme
