-- BM25 search ($query: lemmas, by the macro search_posts) with the filters of qatysu search; the best $limit posts
-- with their regions and relative engagement.
WITH ranked AS (
    SELECT s.post_uid, s.score, s.published_local, s.source_id, s.source_kind, s.lang, s.views, s.interactions,
           s.url, s.text
    FROM search_posts($query) s
    WHERE ($lang IS NULL OR s.lang = $lang)
      AND ($since IS NULL OR s.published_at >= $since)
      AND ($until IS NULL OR s.published_at < $until)
      AND ($source IS NULL OR s.source_id = $source)
      AND ($region IS NULL OR s.post_uid IN (SELECT post_uid FROM v_post_regions WHERE region_code = $region))
    ORDER BY s.score DESC, s.post_uid
    LIMIT $limit
)
SELECT r.post_uid, round(r.score, 3) AS score, strftime(r.published_local, '%Y-%m-%d %H:%M') AS published,
       r.source_id, r.source_kind, r.lang,
       (SELECT string_agg(region_code, ' ' ORDER BY region_code) FROM v_post_regions g
        WHERE g.post_uid = r.post_uid) AS regions,
       r.views, r.interactions, round(e.relative, 2) AS relative_engagement, r.url, r.text
FROM ranked r LEFT JOIN v_post_engagement e USING (post_uid)
ORDER BY r.score DESC, r.post_uid
