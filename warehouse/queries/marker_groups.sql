-- Per scope of a markers run: the engagement groups' sizes, the Benjamini–Hochberg family of the terms, and the
-- detectable effect the run computed (the smallest high/low frequency ratio of a word in `share` of the posts
-- that the log-odds find with the stated power at BH's threshold for one discovery). Params: $run.
WITH r AS (SELECT inputs, outputs FROM analysis_runs WHERE run_id = $run),
scopes AS (SELECT unnest(json_keys(inputs -> 'groups')) AS scope FROM r)
SELECT s.scope,
       CAST(r.inputs -> 'groups' -> s.scope ->> 'high' AS INTEGER) AS posts_high,
       CAST(r.inputs -> 'groups' -> s.scope ->> 'low' AS INTEGER) AS posts_low,
       CAST(r.outputs -> 'families' ->> 'term' AS INTEGER) AS term_family,
       CAST(r.outputs -> 'detectable' ->> 'share' AS DOUBLE) AS word_share,
       CAST(r.outputs -> 'detectable' ->> 'power' AS DOUBLE) AS power,
       CAST(r.outputs -> 'detectable' -> 'ratio' ->> s.scope AS DOUBLE) AS detectable_ratio
FROM scopes s, r
ORDER BY s.scope
