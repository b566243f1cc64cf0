-- BM25 search ($query: lemmas) with the filters of qatysu search; the best $limit posts with their regions
-- and relative engagement.
WITH hits AS (
    SELECT s.post_uid, fts_main_post_search.match_bm25(s.post_uid, $query) AS score
    FROM post_search s
    WHERE ($lang IS NULL OR s.lang = $lang)
), ranked AS (
    SELECT h.post_uid, h.score, p.published_local, p.source_id, p.source_kind, p.lang, p.views, p.interactions,
           p.url, p.text
    FROM hits h JOIN v_posts p USING (post_uid)
    WHERE h.score IS NOT NULL
      AND ($since IS NULL OR p.published_at >= $since)
      AND ($until IS NULL OR p.published_at < $until)
      AND ($source IS NULL OR p.source_id = $source)
      AND ($region IS NULL OR h.post_uid IN (SELECT post_uid FROM v_post_regions WHERE region_code = $region))
    ORDER BY h.score DESC, h.post_uid
    LIMIT $limit
)
SELECT r.post_uid, round(r.score, 3) AS score, strftime(r.published_local, '%Y-%m-%d %H:%M') AS published,
       r.source_id, r.source_kind, r.lang,
       (SELECT string_agg(region_code, ' ' ORDER BY region_code) FROM v_post_regions g
        WHERE g.post_uid = r.post_uid) AS regions,
       r.views, r.interactions, round(e.relative, 2) AS relative_engagement, r.url, r.text
FROM ranked r LEFT JOIN v_post_engagement e USING (post_uid)
ORDER BY r.score DESC, r.post_uid
