-- Every stored post's content hash (post_uid, content_hash), which the processing output is keyed by.
SELECT post_uid, content_hash FROM posts
