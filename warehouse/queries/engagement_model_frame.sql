-- The posts of a scope (temp table _groups) that the engagement model is fitted on: those placed in an engagement
-- group, with their interactions; log(views) as exposure where views are shown (0 otherwise, and such posts form
-- their own fixed-effect stratum with their source); and a weight of 1 / the source's typical interactions for a
-- post like it (rolling median level, times views + 1 where shown), so that each post counts on the scale of its
-- own source and a few channels with huge audiences do not carry the whole fit. At most $max_posts posts: when
-- there are more, a fixed pseudo-random choice of them (by a hash of the post id, which has nothing to do with its
-- text or engagement), so that the fit's cost stays bounded however large the scope.
SELECT g.post_uid,
       e.source_id,
       e.source_id || ' | ' || e.basis AS source_basis,
       e.interactions,
       CASE WHEN e.basis = 'per view' THEN ln(e.views) ELSE 0.0 END AS log_views,
       1.0 / (e.source_median * CASE WHEN e.basis = 'per view' THEN e.views + 1.0 ELSE 1.0 END) AS weight
FROM _groups g JOIN v_post_engagement e USING (post_uid)
WHERE g.grp IN ('high', 'mid', 'low')
QUALIFY row_number() OVER (ORDER BY hash(g.post_uid), g.post_uid) <= $max_posts
ORDER BY g.post_uid
