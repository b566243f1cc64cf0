-- Temporary table _groups(post_uid, lang, grp) of the processed posts of one scope ($scope_kind, $scope_value):
-- grp is high or low for the top and bottom $quantile of relative engagement within each source with at least
-- $min_posts posts with counters, mid between; 'no counters' and 'small source' for posts that cannot be placed.
-- Ties are broken by a hash of the post id, which has nothing to do with its text: each group holds exactly
-- floor($quantile × n) posts of a source, and a block of tied posts (say, the many with no interaction at all) is
-- split at random between the groups it straddles instead of all falling into one.
-- Petition texts (platform petition) are not posts with engagement: their outcome is signatures
-- (petition_groups.sql), so they are neither compared nor background for the prior here.
CREATE OR REPLACE TEMP TABLE _groups AS
WITH scoped AS (
    SELECT l.post_uid, l.lang, p.source_id, e.relative
    FROM post_lemmas l JOIN posts p USING (post_uid)
    LEFT JOIN v_post_engagement e USING (post_uid)
    WHERE p.platform <> 'petition' AND CASE $scope_kind
        WHEN 'all' THEN TRUE
        WHEN 'lang' THEN l.lang = $scope_value
        WHEN 'region' THEN p.post_uid IN (SELECT post_uid FROM v_post_regions WHERE region_code = $scope_value)
        WHEN 'period' THEN strftime(timezone('Asia/Almaty', p.published_at), '%Y-%m') = $scope_value
        WHEN 'source' THEN p.source_id = $scope_value
    END
), ranked AS (
    SELECT *, row_number() OVER (PARTITION BY source_id ORDER BY relative, hash(post_uid), post_uid) AS rn,
           count(relative) OVER (PARTITION BY source_id) AS n
    FROM scoped WHERE relative IS NOT NULL
)
SELECT s.post_uid, s.lang,
       CASE WHEN r.post_uid IS NULL THEN 'no counters'
            WHEN r.n < $min_posts THEN 'small source'
            WHEN r.rn <= floor($quantile * r.n) THEN 'low'
            WHEN r.rn > r.n - floor($quantile * r.n) THEN 'high'
            ELSE 'mid' END AS grp
FROM scoped s LEFT JOIN ranked r USING (post_uid)
