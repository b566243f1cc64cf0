-- Report: petitions per platform with their latest signature readings: how many, how many read, the median
-- pace (signatures per day since opening) and how many reached their threshold (of those that have one); dates as
-- YYYY-MM-DD in the session time zone.
SELECT platform, count(*) AS petitions, count(observed_at) AS read,
       median(signatures_per_day) AS median_signatures_per_day,
       count(*) FILTER (WHERE threshold_reached) AS reached_threshold,
       count(threshold) AS with_threshold,
       strftime(min(created_at), '%Y-%m-%d') AS first_opened, strftime(max(created_at), '%Y-%m-%d') AS last_opened,
       strftime(max(observed_at), '%Y-%m-%d') AS last_read
FROM v_petitions
GROUP BY platform
ORDER BY petitions DESC
