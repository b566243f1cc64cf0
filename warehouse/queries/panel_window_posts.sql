-- Processed posts in each window of _vote_windows(vote_id, window_start, window_end), once per region they
-- are attributed to, with their engagement relative to their own source (NULL without counters).
SELECT w.vote_id, w.window_start, w.window_end, r.region_code, p.post_uid, e.relative
FROM _vote_windows w
JOIN posts p ON timezone('Asia/Almaty', p.published_at)::DATE >= w.window_start
            AND timezone('Asia/Almaty', p.published_at)::DATE < w.window_end
JOIN post_lemmas USING (post_uid)
JOIN v_post_regions r USING (post_uid)
LEFT JOIN v_post_engagement e USING (post_uid)
