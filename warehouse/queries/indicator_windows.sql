-- The window of posts each indicator is linked to, for the latest period of every indicator (or of those named).
-- An indicator of a vote is linked to the posts of the $window_days days before the vote, as in vote_windows.sql:
-- from the vote day − $window_days up to the day before the vote (Asia/Almaty days), so nothing written on or
-- after polling day is used. The vote day comes from the reference table votes where the indicator is a vote's
-- turnout, else from the indicator's period when it is a day (YYYY-MM-DD: earlier snapshots, rural akim
-- elections). An indicator of a longer period (YYYY, YYYY-Qn, YYYY-MM) is linked to the posts of that period.
-- macro_region: every value is a macro-region's value copied to its regions (a note "macro-region NAME"), so the
-- regions are not independent observations; macro_regions counts those macro-regions.
-- Params: $window_days (days before a vote), $names (indicator ids, or NULL for all).
WITH latest AS (
    SELECT indicator_id, max(period_start) AS period_start FROM indicator_values GROUP BY 1
), vals AS (
    SELECT v.*, regexp_extract(coalesce(v.note, ''), '^macro-region (\S+)', 1) AS macro
    FROM indicator_values v JOIN latest USING (indicator_id, period_start)
    WHERE $names IS NULL OR v.indicator_id IN (SELECT unnest($names))
), per_indicator AS (
    SELECT indicator_id, any_value(boundary_version) AS boundary_version, any_value(period) AS period,
           any_value(period_start) AS period_start, bool_and(macro <> '') AS macro_region,
           count(DISTINCT nullif(macro, '')) AS macro_regions
    FROM vals GROUP BY indicator_id
), dated AS (
    SELECT i.*, coalesce(v.vote_date, CASE WHEN length(i.period) = 10 THEN i.period_start END) AS vote_date
    FROM per_indicator i LEFT JOIN votes v USING (indicator_id)
)
SELECT indicator_id, boundary_version, period, vote_date IS NOT NULL AS is_vote,
       CASE WHEN vote_date IS NOT NULL THEN (vote_date - CAST($window_days AS INTEGER))::DATE
            ELSE period_start END AS window_start,
       CASE WHEN vote_date IS NOT NULL THEN vote_date
            WHEN length(period) = 4 THEN CAST(period_start + INTERVAL 1 YEAR AS DATE)
            WHEN period LIKE '%Q%' THEN CAST(period_start + INTERVAL 3 MONTH AS DATE)
            ELSE CAST(period_start + INTERVAL 1 MONTH AS DATE) END AS window_end,
       macro_region, macro_regions
FROM dated
ORDER BY indicator_id
