-- The region × vote panel, forecasts of turnout with their backtest, panel effects of themes and scenarios.

CREATE TABLE votes (
    vote_id      VARCHAR PRIMARY KEY,
    indicator_id VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    vote_date    DATE NOT NULL,
    name         VARCHAR NOT NULL
);
COMMENT ON TABLE votes IS 'National votes whose turnout by region is an indicator: kind and date (shipped reference data).';
COMMENT ON COLUMN votes.vote_id IS 'Short id of the vote (mazhilis_2023).';
COMMENT ON COLUMN votes.indicator_id IS 'The indicator holding its turnout by region (indicators.indicator_id).';
COMMENT ON COLUMN votes.kind IS 'presidential, parliamentary or referendum.';
COMMENT ON COLUMN votes.vote_date IS 'Election or referendum day.';
COMMENT ON COLUMN votes.name IS 'Human-readable name.';

CREATE TABLE region_panel (
    run_id       VARCHAR NOT NULL,
    vote_id      VARCHAR NOT NULL,
    region_code  VARCHAR NOT NULL,
    window_start DATE NOT NULL,
    window_end   DATE NOT NULL,
    posts        INTEGER NOT NULL,
    engagement   DOUBLE,
    PRIMARY KEY (run_id, vote_id, region_code)
);
COMMENT ON TABLE region_panel IS 'Posts attributed to a region in the window before a vote, as a forecast run counted them (vote_id current: the latest window of the corpus, used to forecast the next votes).';
COMMENT ON COLUMN region_panel.run_id IS 'The forecast run (analysis_runs.run_id).';
COMMENT ON COLUMN region_panel.vote_id IS 'votes.vote_id, or current for the window ending at the latest post.';
COMMENT ON COLUMN region_panel.region_code IS 'Region on the 20-unit map (posts attributed by v_post_regions).';
COMMENT ON COLUMN region_panel.window_start IS 'First day of the window (inclusive).';
COMMENT ON COLUMN region_panel.window_end IS 'Day the window ends (exclusive): the vote day.';
COMMENT ON COLUMN region_panel.posts IS 'Processed posts in the window attributed to the region.';
COMMENT ON COLUMN region_panel.engagement IS 'Mean engagement relative to each post''s own source (v_post_engagement.relative); NULL when no post shows counters.';

CREATE TABLE region_panel_themes (
    run_id           VARCHAR NOT NULL,
    vote_id          VARCHAR NOT NULL,
    region_code      VARCHAR NOT NULL,
    theme            VARCHAR NOT NULL,
    share            DOUBLE NOT NULL,
    engagement_share DOUBLE,
    PRIMARY KEY (run_id, vote_id, region_code, theme)
);
COMMENT ON TABLE region_panel_themes IS 'Theme shares of a region''s posts in the window before a vote, as a forecast run measured them.';
COMMENT ON COLUMN region_panel_themes.run_id IS 'The forecast run.';
COMMENT ON COLUMN region_panel_themes.vote_id IS 'votes.vote_id, or current.';
COMMENT ON COLUMN region_panel_themes.region_code IS 'Region on the 20-unit map.';
COMMENT ON COLUMN region_panel_themes.theme IS 'category:<name> (lexicon category) or topic:<model_id>:<topic_id>.';
COMMENT ON COLUMN region_panel_themes.share IS 'Percentage of the region''s posts in the theme (topics: mean topic weight × 100), 0–100.';
COMMENT ON COLUMN region_panel_themes.engagement_share IS 'Percentage of the region''s relative engagement that falls on posts of the theme, 0–100; NULL without counters.';

CREATE VIEW v_region_panel AS
WITH latest AS (
    SELECT run_id FROM analysis_runs WHERE step = 'forecast' AND status = 'completed'
    ORDER BY started_at DESC LIMIT 1
), turnout AS (
    SELECT v.vote_id, v.kind, v.vote_date, c.region_code, c.value, c.method, c.reported_region_code
    FROM votes v JOIN v_indicator_values_current_map c ON c.indicator_id = v.indicator_id
), themes AS (
    SELECT vote_id, region_code, map_from_entries(list({'k': theme, 'v': share})) AS theme_shares,
           map_from_entries(list({'k': theme, 'v': engagement_share})) AS engagement_shares
    FROM region_panel_themes WHERE run_id = (SELECT run_id FROM latest)
    GROUP BY vote_id, region_code
)
SELECT t.region_code, r.name_en AS region_en, t.vote_id, t.kind, t.vote_date, t.value AS turnout,
       t.reported_region_code <> t.region_code AS carried, t.method,
       p.window_start, p.window_end, coalesce(p.posts, 0) AS posts, p.engagement,
       h.theme_shares, h.engagement_shares, (SELECT run_id FROM latest) AS run_id
FROM turnout t
LEFT JOIN regions r USING (region_code)
LEFT JOIN region_panel p ON p.run_id = (SELECT run_id FROM latest) AND p.vote_id = t.vote_id
                        AND p.region_code = t.region_code
LEFT JOIN themes h ON h.vote_id = t.vote_id AND h.region_code = t.region_code;
COMMENT ON VIEW v_region_panel IS 'One row per region × national vote on the 20-unit map: turnout (values from before the June 2022 split carried to each part, flagged), the vote''s kind and date, and from the latest forecast run the posts, engagement and theme shares of the window before the vote (empty when the window holds no posts).';
COMMENT ON COLUMN v_region_panel.region_code IS 'Region on the 20-unit map.';
COMMENT ON COLUMN v_region_panel.region_en IS 'Region name in English.';
COMMENT ON COLUMN v_region_panel.vote_id IS 'The vote (votes.vote_id).';
COMMENT ON COLUMN v_region_panel.kind IS 'presidential, parliamentary or referendum.';
COMMENT ON COLUMN v_region_panel.vote_date IS 'Day of the vote.';
COMMENT ON COLUMN v_region_panel.turnout IS 'Turnout, % of voters on the lists.';
COMMENT ON COLUMN v_region_panel.carried IS 'TRUE when the figure is that of the whole pre-2022 region this region was part of.';
COMMENT ON COLUMN v_region_panel.method IS 'as reported, or carried from the old region.';
COMMENT ON COLUMN v_region_panel.window_start IS 'First day of the window of posts before the vote (NULL before any forecast run).';
COMMENT ON COLUMN v_region_panel.window_end IS 'Day the window ends (exclusive): the vote day.';
COMMENT ON COLUMN v_region_panel.posts IS 'Processed posts in the window attributed to the region (0 when none).';
COMMENT ON COLUMN v_region_panel.engagement IS 'Mean engagement of those posts relative to their sources; NULL without counters.';
COMMENT ON COLUMN v_region_panel.theme_shares IS 'MAP theme → percentage of the posts in the theme; NULL when the window holds no posts.';
COMMENT ON COLUMN v_region_panel.engagement_shares IS 'MAP theme → percentage of the engagement on posts of the theme; NULL when no posts.';
COMMENT ON COLUMN v_region_panel.run_id IS 'The forecast run the posts and shares come from.';

CREATE TABLE panel_effects (
    run_id   VARCHAR NOT NULL,
    theme    VARCHAR NOT NULL,
    measure  VARCHAR NOT NULL,
    estimate DOUBLE,
    ci_low   DOUBLE,
    ci_high  DOUBLE,
    p        DOUBLE,
    q        DOUBLE,
    n        INTEGER NOT NULL,
    clusters INTEGER NOT NULL,
    note     VARCHAR,
    PRIMARY KEY (run_id, theme, measure)
);
COMMENT ON TABLE panel_effects IS 'Turnout on a theme''s share with region and vote fixed effects, one model per theme and measure, over region-votes with enough posts; wild cluster bootstrap (null imposed, Webb weights) by pre-2022 region. Association, not causation.';
COMMENT ON COLUMN panel_effects.run_id IS 'The forecast run.';
COMMENT ON COLUMN panel_effects.theme IS 'category:<name> or topic:<model_id>:<topic_id>.';
COMMENT ON COLUMN panel_effects.measure IS 'share (of posts) or engagement_share (of engagement).';
COMMENT ON COLUMN panel_effects.estimate IS 'Turnout points per percentage point of the measure; NULL when not fitted (note says why).';
COMMENT ON COLUMN panel_effects.ci_low IS 'Lower end of the 95% interval (bootstrap test inverted).';
COMMENT ON COLUMN panel_effects.ci_high IS 'Upper end of that interval.';
COMMENT ON COLUMN panel_effects.p IS 'Two-sided wild cluster bootstrap p-value of estimate = 0.';
COMMENT ON COLUMN panel_effects.q IS 'Benjamini–Hochberg q across the themes and measures of the run.';
COMMENT ON COLUMN panel_effects.n IS 'Region-votes in the model.';
COMMENT ON COLUMN panel_effects.clusters IS 'Clusters (regions on the pre-2022 map: a split region and its parts share their carried turnout).';
COMMENT ON COLUMN panel_effects.note IS 'Why no model was fitted, or caveats.';

CREATE TABLE forecasts (
    run_id      VARCHAR NOT NULL,
    outcome     VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,
    model       VARCHAR NOT NULL,
    role        VARCHAR NOT NULL,
    point       DOUBLE NOT NULL,
    lo80        DOUBLE NOT NULL,
    hi80        DOUBLE NOT NULL,
    lo95        DOUBLE NOT NULL,
    hi95        DOUBLE NOT NULL,
    PRIMARY KEY (run_id, outcome, kind, region_code, model)
);
COMMENT ON TABLE forecasts IS 'Turnout forecast for the next vote of each kind, per region and for the country (region_code KZ), by the model with the lowest backtest error and by the naive baseline.';
COMMENT ON COLUMN forecasts.run_id IS 'The forecast run.';
COMMENT ON COLUMN forecasts.outcome IS 'What is forecast: turnout (%).';
COMMENT ON COLUMN forecasts.kind IS 'presidential, parliamentary or referendum: the next vote of that kind.';
COMMENT ON COLUMN forecasts.region_code IS 'Region on the 20-unit map, or KZ for the country.';
COMMENT ON COLUMN forecasts.model IS 'last_value, region_mean, swing, mixed or panel (see forecast_backtest).';
COMMENT ON COLUMN forecasts.role IS 'chosen (lowest backtest error) or baseline (last value, always shown).';
COMMENT ON COLUMN forecasts.point IS 'Point forecast, %.';
COMMENT ON COLUMN forecasts.lo80 IS 'Lower end of the 80% prediction interval (widened to the backtest''s own errors where the model''s was too narrow).';
COMMENT ON COLUMN forecasts.hi80 IS 'Upper end of the 80% prediction interval.';
COMMENT ON COLUMN forecasts.lo95 IS 'Lower end of the 95% prediction interval.';
COMMENT ON COLUMN forecasts.hi95 IS 'Upper end of the 95% prediction interval.';

CREATE TABLE forecast_backtest (
    run_id     VARCHAR NOT NULL,
    outcome    VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL,
    model      VARCHAR NOT NULL,
    mae        DOUBLE NOT NULL,
    coverage80 DOUBLE NOT NULL,
    coverage95 DOUBLE NOT NULL,
    n          INTEGER NOT NULL,
    chosen     BOOLEAN NOT NULL,
    PRIMARY KEY (run_id, outcome, kind, model)
);
COMMENT ON TABLE forecast_backtest IS 'Leave-one-vote-out backtest: each vote of the kind predicted from all the other votes by each model.';
COMMENT ON COLUMN forecast_backtest.run_id IS 'The forecast run.';
COMMENT ON COLUMN forecast_backtest.outcome IS 'turnout.';
COMMENT ON COLUMN forecast_backtest.kind IS 'The kind of the held-out votes, or all.';
COMMENT ON COLUMN forecast_backtest.model IS 'The candidate model.';
COMMENT ON COLUMN forecast_backtest.mae IS 'Mean absolute error over held-out region-votes, turnout points.';
COMMENT ON COLUMN forecast_backtest.coverage80 IS 'Share of held-out region-votes inside the model''s own 80% interval (before widening).';
COMMENT ON COLUMN forecast_backtest.coverage95 IS 'Share inside its own 95% interval (before widening).';
COMMENT ON COLUMN forecast_backtest.n IS 'Held-out region-votes.';
COMMENT ON COLUMN forecast_backtest.chosen IS 'TRUE for the model the forecast of the kind uses.';

CREATE TABLE scenario_results (
    run_id      VARCHAR NOT NULL,
    scenario    VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,
    baseline    DOUBLE NOT NULL,
    delta       DOUBLE,
    delta_lo95  DOUBLE,
    delta_hi95  DOUBLE,
    point       DOUBLE,
    lo95        DOUBLE,
    hi95        DOUBLE,
    note        VARCHAR,
    PRIMARY KEY (run_id, scenario, kind, region_code)
);
COMMENT ON TABLE scenario_results IS 'What-if scenarios: the turnout change the panel coefficients imply for a change in theme shares or engagement, per region and for the country (KZ), on top of the forecast of the next vote of a kind. Association, not causation.';
COMMENT ON COLUMN scenario_results.run_id IS 'The forecast run.';
COMMENT ON COLUMN scenario_results.scenario IS 'Name of the scenario in the scenario file.';
COMMENT ON COLUMN scenario_results.kind IS 'The kind of vote whose forecast is the baseline.';
COMMENT ON COLUMN scenario_results.region_code IS 'Region, or KZ for the country.';
COMMENT ON COLUMN scenario_results.baseline IS 'The forecast without the scenario, %.';
COMMENT ON COLUMN scenario_results.delta IS 'Change of turnout the scenario implies, points; NULL when a theme has no panel coefficient (note).';
COMMENT ON COLUMN scenario_results.delta_lo95 IS 'Lower end of the 95% interval of the change (coefficient uncertainty).';
COMMENT ON COLUMN scenario_results.delta_hi95 IS 'Upper end of that interval.';
COMMENT ON COLUMN scenario_results.point IS 'Turnout under the scenario: baseline + delta.';
COMMENT ON COLUMN scenario_results.lo95 IS 'Lower end of the 95% interval of turnout under the scenario (coefficient and forecast uncertainty).';
COMMENT ON COLUMN scenario_results.hi95 IS 'Upper end of that interval.';
COMMENT ON COLUMN scenario_results.note IS 'Caveats: missing coefficients, regions without posts in the current window.';
