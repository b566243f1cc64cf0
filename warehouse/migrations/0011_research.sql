-- The researcher's workflow: full-text search and keyword in context, hand-coded posts, topic effects, and a
-- readable label for every theme.

CREATE TABLE post_search (
    post_uid VARCHAR PRIMARY KEY,
    lang     VARCHAR NOT NULL,
    words    VARCHAR NOT NULL
);
COMMENT ON TABLE post_search IS 'What the full-text index (schema fts_main_post_search, BM25) is built from: each processed post''s lemmas and phrases. Rebuilt with its index by qatysu process; search it with the macro search_posts(query).';
COMMENT ON COLUMN post_search.post_uid IS 'The post (posts.post_uid).';
COMMENT ON COLUMN post_search.lang IS 'Language of the post (post_lemmas.lang).';
COMMENT ON COLUMN post_search.words IS 'Content lemmas in text order, then the phrases, separated by spaces.';

CREATE TABLE post_codes (
    post_uid  VARCHAR NOT NULL,
    coder     VARCHAR NOT NULL,
    code      VARCHAR NOT NULL,
    value     VARCHAR NOT NULL,
    codebook  VARCHAR NOT NULL,
    file      VARCHAR NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (post_uid, coder, code)
);
COMMENT ON TABLE post_codes IS 'Codes given to posts by hand (qatysu codes load): one row per post, coder and code. Loading a coder''s file again replaces that coder''s codes of those posts.';
COMMENT ON COLUMN post_codes.post_uid IS 'The coded post (posts.post_uid).';
COMMENT ON COLUMN post_codes.coder IS 'Name the coder loaded the file under.';
COMMENT ON COLUMN post_codes.code IS 'Code of the codebook (the column of the coding sheet).';
COMMENT ON COLUMN post_codes.value IS 'Value given, one of the code''s allowed values (as text).';
COMMENT ON COLUMN post_codes.codebook IS 'Name of the codebook the values were checked against.';
COMMENT ON COLUMN post_codes.file IS 'File the codes were loaded from.';
COMMENT ON COLUMN post_codes.loaded_at IS 'When they were loaded.';

CREATE TABLE topic_effects (
    run_id    VARCHAR NOT NULL,
    model_id  VARCHAR NOT NULL,
    topic_id  INTEGER NOT NULL,
    covariate VARCHAR NOT NULL,
    level     VARCHAR NOT NULL,
    estimate  DOUBLE NOT NULL,
    std_error DOUBLE NOT NULL,
    ci_low    DOUBLE NOT NULL,
    ci_high   DOUBLE NOT NULL,
    p         DOUBLE NOT NULL,
    n_docs    INTEGER NOT NULL,
    draws     INTEGER NOT NULL,
    PRIMARY KEY (run_id, topic_id, covariate, level)
);
COMMENT ON TABLE topic_effects IS 'How each topic''s share of a post varies with covariates (qatysu topics effects), by STM''s method of composition: document–topic proportions drawn from their posterior, a least-squares regression per draw, draws pooled. Differences in mean share against each covariate''s reference level, other covariates held fixed; associations, not effects.';
COMMENT ON COLUMN topic_effects.run_id IS 'The run (analysis_runs.run_id, step topic_effects), with its covariates and draws.';
COMMENT ON COLUMN topic_effects.model_id IS 'The topic model (topic_models.model_id).';
COMMENT ON COLUMN topic_effects.topic_id IS 'The topic (topics.topic_id).';
COMMENT ON COLUMN topic_effects.covariate IS 'Covariate (region, month, source_kind, lang, platform), or (intercept).';
COMMENT ON COLUMN topic_effects.level IS 'Level of the covariate compared with its reference level; for the intercept, the reference levels.';
COMMENT ON COLUMN topic_effects.estimate IS 'Difference in the topic''s mean share (0–1 scale) against the reference level; for the intercept, the share at the reference levels.';
COMMENT ON COLUMN topic_effects.std_error IS 'Standard deviation of the pooled simulations (regression error and document–topic uncertainty together).';
COMMENT ON COLUMN topic_effects.ci_low IS 'Lower end of the 95% interval (2.5th percentile of the pooled simulations).';
COMMENT ON COLUMN topic_effects.ci_high IS 'Upper end of the 95% interval.';
COMMENT ON COLUMN topic_effects.p IS 'Two-sided p-value of estimate / std_error (t distribution); not corrected for the many topics × levels tested.';
COMMENT ON COLUMN topic_effects.n_docs IS 'Posts in the regression.';
COMMENT ON COLUMN topic_effects.draws IS 'Draws of the document–topic proportions pooled (1 where the model gives no posterior: BERTopic).';

CREATE MACRO theme_label(theme) AS
    CASE WHEN theme LIKE 'topic:%'
         THEN coalesce((SELECT 'topic ' || t.topic_id || ': ' || t.label || ' (' || t.model_id || ')'
                        FROM topics t WHERE 'topic:' || t.model_id || ':' || t.topic_id = theme), theme)
         WHEN theme LIKE 'category:%' THEN 'category: ' || substr(theme, 10)
         ELSE theme END;
COMMENT ON MACRO theme_label IS 'A readable label for a theme id of theme_links or region_theme_rates: topic:<model>:<id> becomes "topic <id>: <its label> (<model>)", category:<name> "category: <name>".';

CREATE MACRO kwic(word, win := 8) AS TABLE
WITH matched AS (
    SELECT post_uid, regexp_split_to_array(text, '[^\p{L}\p{N}_-]+') AS words
    FROM posts WHERE contains(lower(text), lower(word))
), positions AS (
    SELECT post_uid, words, generate_subscripts(words, 1) AS i FROM matched
)
SELECT post_uid, i AS position,
       array_to_string(words[greatest(i - win, 1):i - 1], ' ') AS left_context,
       words[i] AS keyword,
       array_to_string(words[i + 1:i + win], ' ') AS right_context
FROM positions WHERE lower(words[i]) = lower(word);
COMMENT ON MACRO TABLE kwic IS 'Keyword in context of one word form as written (case ignored): SELECT * FROM kwic(''выборы'', win := 8). Every form of a word: kwic_lemma, or qatysu kwic --lemma.';

CREATE MACRO kwic_lemma(lemma, win := 8) AS TABLE
WITH positions AS (
    SELECT post_uid, lemmas, generate_subscripts(lemmas, 1) AS i
    FROM post_lemmas WHERE list_contains(lemmas, lemma)
)
SELECT post_uid, i AS position,
       array_to_string(lemmas[greatest(i - win, 1):i - 1], ' ') AS left_context,
       lemmas[i] AS keyword,
       array_to_string(lemmas[i + 1:i + win], ' ') AS right_context
FROM positions WHERE lemmas[i] = lemma;
COMMENT ON MACRO TABLE kwic_lemma IS 'Keyword in context by lemma, every form of the word found, the context shown as content lemmas (stop words left out): SELECT * FROM kwic_lemma(''выборы''). qatysu kwic --lemma shows the posts'' own words.';

CREATE MACRO marker_direction(z, q, q_level := 0.1) AS
    CASE WHEN q <= q_level THEN (CASE WHEN z > 0 THEN 'higher' ELSE 'lower' END) ELSE 'no evidence' END;
COMMENT ON MACRO marker_direction IS 'What a marker score says, as the report and qatysu markers show word it: goes with higher or lower engagement where q ≤ q_level (default 0.1), else no evidence (an association, not an effect).';

CREATE MACRO marker_label(unit, term) AS
    CASE WHEN unit = 'topic' THEN theme_label('topic:' || term) ELSE term END;
COMMENT ON MACRO marker_label IS 'A readable label for a scored unit of marker_scores: a topic (term <model>:<id>) becomes "topic <id>: <its label> (<model>)"; words and categories stay as they are.';

CREATE OR REPLACE VIEW v_report_posts_by_month AS
WITH monthly AS (
    SELECT month, count(*) AS posts,
           min(published_local)::DATE AS first_day, max(published_local)::DATE AS last_day
    FROM v_posts GROUP BY month
), span AS (
    SELECT min(first_day) AS start_day, max(last_day) AS end_day FROM monthly
)
SELECT m.month, m.posts, m.first_day, m.last_day,
       coalesce((m.month = date_trunc('month', s.start_day) AND s.start_day > m.month)
                OR (m.month = date_trunc('month', s.end_day) AND s.end_day < last_day(m.month)), false) AS partial
FROM monthly m, span s
ORDER BY m.month;
COMMENT ON VIEW v_report_posts_by_month IS 'Report: posts per month of publication (Asia/Almaty time), with how much of the month the corpus covers: a first or last month the collection only partly spans is partial, so its lower count is not read as a fall.';
COMMENT ON COLUMN v_report_posts_by_month.month IS 'First day of the month (empty for posts without a date).';
COMMENT ON COLUMN v_report_posts_by_month.posts IS 'Posts published in that month.';
COMMENT ON COLUMN v_report_posts_by_month.first_day IS 'Day of the month''s first post.';
COMMENT ON COLUMN v_report_posts_by_month.last_day IS 'Day of the month''s last post.';
COMMENT ON COLUMN v_report_posts_by_month.partial IS 'True for the corpus''s first month when it starts after the 1st, and its last month when it ends before the month''s last day.';

CREATE VIEW v_report_posts_by_source AS
SELECT source_id, title, kind, region_code, posts, first_post_at::DATE AS first_post, last_post_at::DATE AS last_post,
       round(posts / sum(posts) OVER (), 4) AS share
FROM v_sources WHERE posts > 0
ORDER BY posts DESC, source_id;
COMMENT ON VIEW v_report_posts_by_source IS 'Report: posts per source, largest first: how much each source weighs in the corpus.';
COMMENT ON COLUMN v_report_posts_by_source.source_id IS 'The source "<platform>:<handle>".';
COMMENT ON COLUMN v_report_posts_by_source.title IS 'Title of the source.';
COMMENT ON COLUMN v_report_posts_by_source.kind IS 'news, official, akimat, blogger, activist, party or other.';
COMMENT ON COLUMN v_report_posts_by_source.region_code IS 'Region the source is registered to, if any.';
COMMENT ON COLUMN v_report_posts_by_source.posts IS 'Posts stored.';
COMMENT ON COLUMN v_report_posts_by_source.first_post IS 'Day of its first post.';
COMMENT ON COLUMN v_report_posts_by_source.last_post IS 'Day of its last post.';
COMMENT ON COLUMN v_report_posts_by_source.share IS 'Its share of all posts, 0–1.';
