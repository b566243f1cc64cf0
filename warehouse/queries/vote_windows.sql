-- The window of posts before each national vote: from $window_days days before the vote day up to the day
-- before it (Kazakhstan time), and the window of the same length ending at the latest post ('current', the
-- posts that forecast the next votes). One row per window: vote_id, window_start (inclusive), window_end
-- (exclusive).
SELECT vote_id, (vote_date - CAST($window_days AS INTEGER))::DATE AS window_start, vote_date AS window_end
FROM votes
UNION ALL
SELECT 'current', (last_day + 1 - CAST($window_days AS INTEGER))::DATE, (last_day + 1)::DATE
FROM (SELECT max(timezone('Asia/Almaty', published_at))::DATE AS last_day FROM posts)
WHERE last_day IS NOT NULL
