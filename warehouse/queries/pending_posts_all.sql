-- Every post the processing step has yet to do (macro pending_posts), in post_uid order, and whether it was
-- processed before (its earlier output is then replaced): read once per run, so that a batch costs the same
-- however large the warehouse is.
SELECT p.post_uid, p.content_hash, p.text, l.post_uid IS NOT NULL AS processed_before
FROM pending_posts($since, $reprocess) p LEFT JOIN post_lemmas l USING (post_uid)
ORDER BY p.post_uid
