-- The covariates of every post a topic model ($model) modelled: its strongest region (any method; "(none)"
-- without one), month (Kazakhstan time), kind of source, language and platform, in post_uid order.
SELECT d.post_uid,
       coalesce((SELECT arg_max(r.region_code, r.confidence) FROM v_post_regions r WHERE r.post_uid = d.post_uid),
                '(none)') AS region,
       coalesce(strftime(p.month, '%Y-%m'), '(no date)') AS month,
       coalesce(p.source_kind, '(unknown)') AS source_kind,
       coalesce(p.lang, '(unprocessed)') AS lang,
       p.platform
FROM (SELECT DISTINCT post_uid FROM doc_topics WHERE model_id = $model) d
JOIN v_posts p USING (post_uid)
ORDER BY d.post_uid
