-- Theme rates by region in a window of time, as the link step tests them against an indicator: for every lexicon
-- category (temp table _post_categories) the share of the region's processed posts of the window that contain it,
-- and for every topic of the models named the mean topic weight over the region's modelled posts of the window.
-- Posts are placed in the window by their publication day in Asia/Almaty, window_start ≤ day < window_end; on
-- the pre-2022 map posts of a region created in 2022 count in the region it was part of.
-- Params: $models (topic model ids), $pre_2022 (the map before June 2022), $window_start, $window_end (DATE).
-- Returns (theme, region_code, posts, rate); every theme appears for every region with posts, rate 0 if absent.
WITH mapping AS (
    SELECT new_code AS region_code, old_code AS map_code FROM region_crosswalk WHERE $pre_2022
    UNION ALL
    SELECT region_code, region_code AS map_code FROM regions WHERE NOT $pre_2022
), windowed AS (
    SELECT post_uid FROM posts
    WHERE CAST(timezone('Asia/Almaty', published_at) AS DATE) >= $window_start
      AND CAST(timezone('Asia/Almaty', published_at) AS DATE) < $window_end
), mapped AS (
    SELECT DISTINCT r.post_uid, m.map_code
    FROM v_post_regions r JOIN mapping m USING (region_code) SEMI JOIN windowed w USING (post_uid)
), family_posts AS (
    SELECT 'category' AS family, post_uid FROM post_lemmas
    UNION ALL
    SELECT DISTINCT model_id, post_uid FROM doc_topics WHERE model_id IN (SELECT unnest($models))
), weights AS (
    SELECT 'category' AS family, 'category:' || category AS theme, post_uid, 1.0 AS weight
    FROM _post_categories
    UNION ALL
    SELECT model_id, 'topic:' || model_id || ':' || topic_id, post_uid, weight FROM doc_topics
    WHERE model_id IN (SELECT unnest($models)) AND topic_id >= 0
), totals AS (
    SELECT f.family, m.map_code, count(*) AS posts
    FROM family_posts f JOIN mapped m USING (post_uid) GROUP BY ALL
), themes AS (
    SELECT DISTINCT family, theme FROM weights
)
SELECT th.theme, t.map_code, t.posts, coalesce(sum(w.weight), 0) / t.posts AS rate
FROM themes th
JOIN totals t USING (family)
LEFT JOIN (SELECT w.*, m.map_code FROM weights w JOIN mapped m USING (post_uid)) w
  ON w.theme = th.theme AND w.map_code = t.map_code
GROUP BY th.theme, t.map_code, t.posts
ORDER BY 1, 2
