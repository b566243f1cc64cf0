-- The regions processed posts take from their source and from their import, stored for every processed post that
-- has none of that kind yet (a post processed again has lost its regions and gets them anew). Run once after a
-- run's batches, set-based, so that a batch's cost does not grow with the warehouse.
INSERT INTO post_regions
SELECT p.post_uid, s.region_code, 'source', 0.8, 'region the source is registered to'
FROM post_lemmas l JOIN posts p USING (post_uid) JOIN sources s USING (source_id)
WHERE s.region_code IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM post_regions r WHERE r.post_uid = p.post_uid AND r.method = 'source')
UNION ALL
SELECT p.post_uid, p.region_code, 'given', 1.0, 'region given with the imported post'
FROM post_lemmas l JOIN posts p USING (post_uid)
WHERE p.region_code IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM post_regions r WHERE r.post_uid = p.post_uid AND r.method = 'given')
