-- (post_uid, lang, content lemmas) of the processed posts in languages $langs, published in [$since, $until),
-- of platforms $platforms and sources $sources (empty lists: all), in post_uid order.
SELECT l.post_uid, l.lang, l.lemmas
FROM post_lemmas l JOIN posts p USING (post_uid)
WHERE l.lang IN (SELECT unnest($langs))
  AND ($since IS NULL OR p.published_at >= $since)
  AND ($until IS NULL OR p.published_at < $until)
  AND (len($platforms) = 0 OR p.platform IN (SELECT unnest($platforms)))
  AND (len($sources) = 0 OR p.source_id IN (SELECT unnest($sources)))
ORDER BY l.post_uid
