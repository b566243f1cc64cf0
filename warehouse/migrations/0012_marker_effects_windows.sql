-- Markers per post with a second method (a post-level engagement model), and links that respect time: theme rates
-- from a window before each vote, and the sign of an association instead of causal wording.

CREATE TABLE marker_effects (
    run_id   VARCHAR NOT NULL,
    scope    VARCHAR NOT NULL,
    unit     VARCHAR NOT NULL,
    term     VARCHAR NOT NULL,
    estimate DOUBLE NOT NULL,
    se       DOUBLE NOT NULL,
    ci_low   DOUBLE NOT NULL,
    ci_high  DOUBLE NOT NULL,
    p        DOUBLE NOT NULL,
    q        DOUBLE NOT NULL,
    posts    INTEGER NOT NULL,
    PRIMARY KEY (run_id, scope, unit, term)
);
COMMENT ON TABLE marker_effects IS 'Post-level engagement model of a markers run: Poisson regression (pyfixest fepois) of a post''s interactions on indicators of candidate units (the strongest terms and phrases by log-odds, and every lexicon category), with source fixed effects, log(views) as offset where views are shown, posts weighted by 1 / their source''s typical interactions, standard errors clustered by source. Each estimate holds the other candidates fixed. Association within sources, not causation.';
COMMENT ON COLUMN marker_effects.run_id IS 'The markers run (analysis_runs.run_id); its log-odds are in marker_scores.';
COMMENT ON COLUMN marker_effects.scope IS 'all, lang:ru, lang:kk, region:KZ-xx, period:YYYY-MM or source:<source_id>.';
COMMENT ON COLUMN marker_effects.unit IS 'term (a lemma), phrase or category.';
COMMENT ON COLUMN marker_effects.term IS 'The lemma, phrase or category name.';
COMMENT ON COLUMN marker_effects.estimate IS 'Log ratio of expected interactions (per view) of posts with vs without the unit, within a source, the other candidates held fixed; exp(estimate) is the ratio.';
COMMENT ON COLUMN marker_effects.se IS 'Cluster-robust (CRV1, by source) standard error of the estimate.';
COMMENT ON COLUMN marker_effects.ci_low IS 'Lower end of the 95% interval (t with G* − 1 degrees of freedom, G* the effective number of sources).';
COMMENT ON COLUMN marker_effects.ci_high IS 'Upper end of that interval.';
COMMENT ON COLUMN marker_effects.p IS 'Two-sided p-value (same t distribution).';
COMMENT ON COLUMN marker_effects.q IS 'Benjamini–Hochberg q over one family per unit kind across every scope of the run; the family counts every unit the log-odds scored (units not in the model count as p = 1), so choosing candidates by log-odds does not inflate discoveries.';
COMMENT ON COLUMN marker_effects.posts IS 'Posts in the model that contain the unit.';

COMMENT ON TABLE marker_scores IS 'Weighted log-odds (informative Dirichlet prior) of units in high- vs low-engagement posts (terciles of relative engagement within each source, ties split at random), per post: posts that contain the unit vs posts that do not, each unit its own binomial. z > 0: goes with higher engagement. Association, not causation.';
COMMENT ON COLUMN marker_scores.unit IS 'term (a lemma), phrase, category (a lexicon category) or topic (model_id:topic_id); each kind is scored and corrected for multiple testing on its own.';
COMMENT ON COLUMN marker_scores.sigma IS 'Approximate standard error of δ (all four cells of the 2 × 2 table with their prior counts).';
COMMENT ON COLUMN marker_scores.q IS 'Benjamini–Hochberg q over one family per unit kind across every scope of the run (runs before the per-post scoring: per scope and kind).';

ALTER TABLE theme_links ADD COLUMN window_start DATE;
ALTER TABLE theme_links ADD COLUMN window_end DATE;
ALTER TABLE theme_links ADD COLUMN permutations INTEGER;
ALTER TABLE theme_links ADD COLUMN note VARCHAR;
UPDATE theme_links SET direction = CASE direction WHEN 'raises' THEN 'positive' WHEN 'lowers' THEN 'negative'
                                                  ELSE direction END;
COMMENT ON TABLE theme_links IS 'Spearman correlation across regions between a theme''s rate in the posts of a window before the vote (or within the period) and a participation indicator. Association across at most 20 regions, not causation.';
COMMENT ON COLUMN theme_links.n_regions IS 'Regions with both an indicator value and enough posts in the window (at most 20; small); for macro-region values, the macro-regions.';
COMMENT ON COLUMN theme_links.rho IS 'Spearman''s ρ; NULL when the indicator was not tested (see note) or a side is constant.';
COMMENT ON COLUMN theme_links.p IS 'Two-sided permutation p-value of ρ (adaptive number of permutations, see permutations).';
COMMENT ON COLUMN theme_links.q IS 'Benjamini–Hochberg q across every theme × indicator test of the run (one family).';
COMMENT ON COLUMN theme_links.direction IS 'positive (ρ > 0) or negative (ρ < 0) where q ≤ 0.1, else no evidence: the sign of an association across regions.';
COMMENT ON COLUMN theme_links.window_start IS 'First day (Asia/Almaty) of the posts the theme rates come from; NULL on runs before windows (all posts).';
COMMENT ON COLUMN theme_links.window_end IS 'Day after the last day of that window: the vote day for a vote (its posts are not used), the end of the period otherwise.';
COMMENT ON COLUMN theme_links.permutations IS 'Permutations drawn for p: stopped early once 10 permuted |ρ| reached the observed one, else up to a p floor of a tenth of BH''s threshold for the family.';
COMMENT ON COLUMN theme_links.note IS 'Why an indicator was not tested (too few regions with enough posts in its window, macro-region values), else NULL.';

CREATE TABLE region_theme_rates_windowed AS
SELECT run_id, theme, boundary_version, region_code, CAST(NULL AS DATE) AS window_start,
       CAST(NULL AS DATE) AS window_end, posts, rate
FROM region_theme_rates;
DROP TABLE region_theme_rates;
ALTER TABLE region_theme_rates_windowed RENAME TO region_theme_rates;
COMMENT ON TABLE region_theme_rates IS 'Per region and window, the share of its posts in a theme (a lexicon category, or a topic''s mean weight), as used by a link run; on the pre-2022 map posts of split regions are counted in their former region.';
COMMENT ON COLUMN region_theme_rates.run_id IS 'The link run.';
COMMENT ON COLUMN region_theme_rates.theme IS 'category:<name> or topic:<model_id>:<topic_id>.';
COMMENT ON COLUMN region_theme_rates.boundary_version IS 'post-2022-06 (20 regions) or pre-2022-06 (17 regions).';
COMMENT ON COLUMN region_theme_rates.region_code IS 'Region on that map.';
COMMENT ON COLUMN region_theme_rates.window_start IS 'First day (Asia/Almaty) of the posts counted; NULL on runs before windows (all posts).';
COMMENT ON COLUMN region_theme_rates.window_end IS 'Day after the last day counted (the vote day for a vote); NULL on runs before windows.';
COMMENT ON COLUMN region_theme_rates.posts IS 'Posts attributed to the region in the window.';
COMMENT ON COLUMN region_theme_rates.rate IS 'Share of them in the theme, 0–1.';
