-- The petitions of a scope (temp table _groups from petition_groups.sql) that the petition models are fitted on:
-- those placed in a group, with their platform, latest signature count, log(days open) as exposure, whether the
-- threshold was reached (0/1; the threshold outcome's groups hold only decided petitions), and a weight of
-- 1 / the signatures expected of a petition of its platform open as long (platform's pooled pace × days open),
-- so that a petition counts on the scale of its platform and a few huge ones do not carry the whole fit (with
-- multiplicative noise the variance grows with the square of the mean, and 1 / mean is the efficient weight).
-- At most $max_posts petitions: when there are more, a fixed pseudo-random choice (by a hash of the id).
SELECT g.post_uid,
       v.platform,
       v.signatures,
       ln(v.days_open) AS log_days,
       CAST(coalesce(v.threshold_reached, FALSE) AS INTEGER) AS reached,
       1.0 / (v.days_open * (sum(v.signatures) OVER w + 1.0) / sum(v.days_open) OVER w) AS weight
FROM _groups g JOIN v_petitions v ON v.petition_uid = g.post_uid
WHERE g.grp IN ('high', 'mid', 'low')
WINDOW w AS (PARTITION BY v.platform)
QUALIFY row_number() OVER (ORDER BY hash(g.post_uid), g.post_uid) <= $max_posts
ORDER BY g.post_uid
