-- How many posts the processing step has yet to do (macro pending_posts).
SELECT count(*) FROM pending_posts($since, $reprocess)
