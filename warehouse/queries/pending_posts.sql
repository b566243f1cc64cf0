-- The next $limit posts the processing step has yet to do (macro pending_posts), in post_uid order after $after.
SELECT post_uid, content_hash, text
FROM pending_posts($since, $reprocess)
WHERE $after IS NULL OR post_uid > $after
ORDER BY post_uid
LIMIT $limit
