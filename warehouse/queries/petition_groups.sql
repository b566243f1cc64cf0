-- Temporary table _groups(post_uid, lang, grp) of the processed petitions of one scope ($scope_kind,
-- $scope_value), by outcome $outcome:
--   signatures: grp high or low for the top and bottom $quantile of signatures per day (v_petitions) within each
--     platform with at least $min_posts petitions read, mid between;
--   threshold: among petitions whose signing has closed (closes_at at or before the latest reading, or status
--     closed), high for those that reached their threshold and low for those that did not, within platforms with
--     at least $min_posts such petitions; 'open' for petitions still open: below the threshold their outcome is
--     not known yet (censored), and keeping only the open ones that already reached it would select on the
--     outcome (recent petitions would enter only when fast), so all open petitions are left out.
-- 'no counters' for petitions never read (threshold: or without a threshold) and 'small source' for those of
-- smaller platforms. Same shape as engagement_groups.sql, so unit_counts.sql reads it; every petition of the
-- scope is background for the prior.
CREATE OR REPLACE TEMP TABLE _groups AS
WITH scoped AS (
    SELECT l.post_uid, l.lang, v.platform, v.signatures_per_day AS pace, v.threshold_reached AS reached,
           v.threshold IS NOT NULL
               AND (coalesce(v.closes_at <= v.observed_at, FALSE) OR coalesce(v.status = 'closed', FALSE)) AS decided
    FROM post_lemmas l JOIN v_petitions v ON v.petition_uid = l.post_uid
    WHERE CASE $scope_kind
        WHEN 'all' THEN TRUE
        WHEN 'lang' THEN l.lang = $scope_value
        WHEN 'region' THEN l.post_uid IN (SELECT post_uid FROM v_post_regions WHERE region_code = $scope_value)
                           OR v.region_code = $scope_value
        WHEN 'period' THEN strftime(timezone('Asia/Almaty', v.created_at), '%Y-%m') = $scope_value
        WHEN 'source' THEN 'petition:' || v.platform = $scope_value
    END
), ranked AS (
    SELECT *, percent_rank() OVER (PARTITION BY platform ORDER BY pace) AS pr,
           count(*) OVER (PARTITION BY platform) AS n
    FROM scoped WHERE CASE WHEN $outcome = 'threshold' THEN decided ELSE pace IS NOT NULL END
)
SELECT s.post_uid, s.lang,
       CASE WHEN $outcome = 'threshold' AND s.reached IS NOT NULL AND NOT s.decided THEN 'open'
            WHEN r.post_uid IS NULL THEN 'no counters'
            WHEN r.n < $min_posts THEN 'small source'
            WHEN $outcome = 'threshold' THEN CASE WHEN r.reached THEN 'high' ELSE 'low' END
            WHEN r.pr <= $quantile THEN 'low' WHEN r.pr >= 1 - $quantile THEN 'high'
            ELSE 'mid' END AS grp
FROM scoped s LEFT JOIN ranked r USING (post_uid)
