-- Posts and mean relative engagement per window and region, from _panel_posts.
SELECT vote_id, region_code, any_value(window_start) AS window_start, any_value(window_end) AS window_end,
       count(*) AS posts, avg(relative) AS engagement
FROM _panel_posts
GROUP BY vote_id, region_code
ORDER BY vote_id, region_code
