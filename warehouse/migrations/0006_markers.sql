-- Engagement, marker-word scores and links between themes and regional participation indicators.

CREATE VIEW v_post_engagement AS
WITH base AS (
    SELECT post_uid, source_id, published_at, views, interactions,
           CASE WHEN views > 0 THEN 'per view' ELSE 'interactions' END AS basis,
           CASE WHEN views > 0 THEN (interactions + 0.5) / (views + 1.0)
                ELSE interactions + 0.5 END AS level
    FROM v_posts
    WHERE interactions IS NOT NULL AND (views IS NULL OR views > 0)
), rolling AS (
    SELECT *,
           median(level) OVER w AS source_median,
           count(*) OVER w AS window_posts
    FROM base
    WINDOW w AS (PARTITION BY source_id, basis ORDER BY published_at, post_uid
                 ROWS BETWEEN 25 PRECEDING AND 25 FOLLOWING)
)
SELECT post_uid, source_id, basis, views, interactions, level, source_median, window_posts,
       level / source_median AS relative
FROM rolling;
COMMENT ON VIEW v_post_engagement IS 'Engagement of each post with counters, relative to its own source''s typical level, so that large channels do not dominate. level = (interactions + 0.5) / (views + 1) where views are shown, else interactions + 0.5; relative = level / the median level of the source''s 51 posts around it (25 before, 25 after, same basis). Posts without any counter are left out, never zero-filled.';
COMMENT ON COLUMN v_post_engagement.post_uid IS 'The post.';
COMMENT ON COLUMN v_post_engagement.source_id IS 'Its source.';
COMMENT ON COLUMN v_post_engagement.basis IS 'per view (views shown) or interactions (no views shown).';
COMMENT ON COLUMN v_post_engagement.views IS 'Views, where shown.';
COMMENT ON COLUMN v_post_engagement.interactions IS 'reactions + comments + forwards.';
COMMENT ON COLUMN v_post_engagement.level IS 'Smoothed interactions per view, or interactions + 0.5 without views.';
COMMENT ON COLUMN v_post_engagement.source_median IS 'Rolling median level of the source (51-post window centred on the post).';
COMMENT ON COLUMN v_post_engagement.window_posts IS 'Posts in that window (fewer at the ends of a source''s history).';
COMMENT ON COLUMN v_post_engagement.relative IS 'level / source_median: 1 is typical for the source, 2 twice its usual engagement.';

CREATE TABLE analysis_runs (
    run_id      VARCHAR PRIMARY KEY,
    step        VARCHAR NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    status      VARCHAR NOT NULL,
    params      JSON NOT NULL,
    inputs      JSON,
    outputs     JSON,
    versions    JSON NOT NULL
);
COMMENT ON TABLE analysis_runs IS 'Provenance of every analysis and flow run: step, parameters, input and output counts, software versions.';
COMMENT ON COLUMN analysis_runs.run_id IS 'Id of the run.';
COMMENT ON COLUMN analysis_runs.step IS 'markers, link, or a flow (collect, process, topics, report, pipeline).';
COMMENT ON COLUMN analysis_runs.started_at IS 'When it started.';
COMMENT ON COLUMN analysis_runs.finished_at IS 'When it finished (NULL while running or after a crash).';
COMMENT ON COLUMN analysis_runs.status IS 'running, completed, failed: <reason>, or nothing to do.';
COMMENT ON COLUMN analysis_runs.params IS 'Parameters it ran with (never secrets).';
COMMENT ON COLUMN analysis_runs.inputs IS 'Counts of what it read (posts, groups, regions…).';
COMMENT ON COLUMN analysis_runs.outputs IS 'Counts of what it wrote.';
COMMENT ON COLUMN analysis_runs.versions IS 'Versions of Qatysu and its libraries.';

CREATE TABLE marker_scores (
    run_id     VARCHAR NOT NULL,
    scope      VARCHAR NOT NULL,
    unit       VARCHAR NOT NULL,
    term       VARCHAR NOT NULL,
    lang       VARCHAR,
    delta      DOUBLE NOT NULL,
    sigma      DOUBLE NOT NULL,
    z          DOUBLE NOT NULL,
    p          DOUBLE NOT NULL,
    q          DOUBLE NOT NULL,
    count_high INTEGER NOT NULL,
    count_low  INTEGER NOT NULL,
    count_all  INTEGER NOT NULL,
    PRIMARY KEY (run_id, scope, unit, term)
);
COMMENT ON TABLE marker_scores IS 'Weighted log-odds (informative Dirichlet prior) of units in high- vs low-engagement posts (terciles of relative engagement within each source). z > 0: goes with higher engagement.';
COMMENT ON COLUMN marker_scores.run_id IS 'The run (analysis_runs.run_id).';
COMMENT ON COLUMN marker_scores.scope IS 'all, lang:ru, lang:kk, region:KZ-xx, period:YYYY-MM or source:<source_id>.';
COMMENT ON COLUMN marker_scores.unit IS 'term (a lemma or phrase), category (a lexicon category) or topic (model_id:topic_id).';
COMMENT ON COLUMN marker_scores.term IS 'The lemma, phrase, category name or topic.';
COMMENT ON COLUMN marker_scores.lang IS 'Language of most posts that contain it.';
COMMENT ON COLUMN marker_scores.delta IS 'δ: log-odds ratio high vs low (natural logarithm).';
COMMENT ON COLUMN marker_scores.sigma IS 'Approximate standard error of δ.';
COMMENT ON COLUMN marker_scores.z IS 'δ / σ.';
COMMENT ON COLUMN marker_scores.p IS 'Two-sided p-value of z (normal approximation).';
COMMENT ON COLUMN marker_scores.q IS 'Benjamini–Hochberg q across the units of the same scope and kind.';
COMMENT ON COLUMN marker_scores.count_high IS 'High-engagement posts that contain it (once per post).';
COMMENT ON COLUMN marker_scores.count_low IS 'Low-engagement posts that contain it.';
COMMENT ON COLUMN marker_scores.count_all IS 'All posts of the scope that contain it (the prior''s background).';

CREATE TABLE region_theme_rates (
    run_id           VARCHAR NOT NULL,
    theme            VARCHAR NOT NULL,
    boundary_version VARCHAR NOT NULL,
    region_code      VARCHAR NOT NULL,
    posts            INTEGER NOT NULL,
    rate             DOUBLE NOT NULL,
    PRIMARY KEY (run_id, theme, boundary_version, region_code)
);
COMMENT ON TABLE region_theme_rates IS 'Per region, the share of its posts in a theme (a lexicon category, or a topic''s mean weight), as used by a link run; on the pre-2022 map posts of split regions are counted in their former region.';
COMMENT ON COLUMN region_theme_rates.run_id IS 'The link run.';
COMMENT ON COLUMN region_theme_rates.theme IS 'category:<name> or topic:<model_id>:<topic_id>.';
COMMENT ON COLUMN region_theme_rates.boundary_version IS 'post-2022-06 (20 regions) or pre-2022-06 (17 regions).';
COMMENT ON COLUMN region_theme_rates.region_code IS 'Region on that map.';
COMMENT ON COLUMN region_theme_rates.posts IS 'Posts attributed to the region.';
COMMENT ON COLUMN region_theme_rates.rate IS 'Share of them in the theme, 0–1.';

CREATE TABLE theme_links (
    run_id           VARCHAR NOT NULL,
    theme            VARCHAR NOT NULL,
    indicator        VARCHAR NOT NULL,
    boundary_version VARCHAR NOT NULL,
    n_regions        INTEGER NOT NULL,
    rho              DOUBLE,
    ci_low           DOUBLE,
    ci_high          DOUBLE,
    p                DOUBLE,
    q                DOUBLE,
    direction        VARCHAR NOT NULL,
    PRIMARY KEY (run_id, theme, indicator)
);
COMMENT ON TABLE theme_links IS 'Spearman correlation across regions between a theme''s rate and a participation indicator. Association across at most 20 regions, not causation.';
COMMENT ON COLUMN theme_links.run_id IS 'The run (analysis_runs.run_id).';
COMMENT ON COLUMN theme_links.theme IS 'category:<name> or topic:<model_id>:<topic_id>.';
COMMENT ON COLUMN theme_links.indicator IS 'indicators.indicator_id.';
COMMENT ON COLUMN theme_links.boundary_version IS 'Map the test was made on: the indicator''s own (posts of split regions mapped back for pre-2022 indicators).';
COMMENT ON COLUMN theme_links.n_regions IS 'Regions with both a theme rate and an indicator value (at most 20; small).';
COMMENT ON COLUMN theme_links.rho IS 'Spearman''s ρ; NULL with fewer than 6 regions or a constant side.';
COMMENT ON COLUMN theme_links.ci_low IS 'Lower end of the 95% percentile bootstrap interval of ρ (regions resampled, 2,000 times).';
COMMENT ON COLUMN theme_links.ci_high IS 'Upper end of that interval.';
COMMENT ON COLUMN theme_links.p IS 'Two-sided permutation p-value of ρ (9,999 permutations).';
COMMENT ON COLUMN theme_links.q IS 'Benjamini–Hochberg q across every theme × indicator test of the run.';
COMMENT ON COLUMN theme_links.direction IS 'raises (ρ > 0) or lowers (ρ < 0) where q ≤ 0.1, else no evidence.';
