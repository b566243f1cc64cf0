-- posts.lang from the processing output, for the posts whose language it does not show yet (once after a run's
-- batches, like processed_post_regions.sql).
UPDATE posts SET lang = l.lang
FROM post_lemmas l
WHERE posts.post_uid = l.post_uid AND posts.lang IS DISTINCT FROM l.lang
