-- The ids of the posts stored for one source ($source).
SELECT post_id FROM posts WHERE source_id = $source
