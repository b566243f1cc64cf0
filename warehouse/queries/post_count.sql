-- How many posts the warehouse holds.
SELECT count(*) AS posts FROM posts
