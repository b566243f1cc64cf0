-- Topic models (qatysu topics fit): the registry of fits, their topics, document–topic weights,
-- coherence per K, and topic shares by month and by region.

CREATE TABLE topic_models (
    model_id      VARCHAR PRIMARY KEY,
    method        VARCHAR NOT NULL,
    lang          VARCHAR NOT NULL,
    k             INTEGER NOT NULL,
    params        JSON NOT NULL,
    corpus_filter JSON NOT NULL,
    n_docs        INTEGER NOT NULL,
    n_terms       INTEGER NOT NULL,
    coherence_cv  DOUBLE,
    coherence_npmi DOUBLE,
    deterministic BOOLEAN NOT NULL,
    versions      JSON NOT NULL,
    path          VARCHAR NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE topic_models IS 'One row per topic-model fit: method, parameters, corpus filter, input counts, software versions, coherence and where the model is saved.';
COMMENT ON COLUMN topic_models.model_id IS 'Id of the fit, "<method>-<lang>-<UTC time>-<seed>".';
COMMENT ON COLUMN topic_models.method IS 'lda (gensim) or bertopic (offline: TF-IDF → SVD embeddings, UMAP, HDBSCAN).';
COMMENT ON COLUMN topic_models.lang IS 'Language of the posts modelled: ru, kk, or all (a joint model).';
COMMENT ON COLUMN topic_models.k IS 'Number of topics (for BERTopic: found, outlier topic -1 not counted).';
COMMENT ON COLUMN topic_models.params IS 'Every parameter of the fit (seed, K grid, filters of the dictionary, UMAP/HDBSCAN settings…).';
COMMENT ON COLUMN topic_models.corpus_filter IS 'Which posts were modelled: dates, languages, platforms, sources.';
COMMENT ON COLUMN topic_models.n_docs IS 'Posts modelled.';
COMMENT ON COLUMN topic_models.n_terms IS 'Terms (lemmas and phrases) in the model''s vocabulary.';
COMMENT ON COLUMN topic_models.coherence_cv IS 'C_v coherence of the chosen model (0–1, higher is better).';
COMMENT ON COLUMN topic_models.coherence_npmi IS 'NPMI coherence of the chosen model (-1–1, higher is better).';
COMMENT ON COLUMN topic_models.deterministic IS 'Whether the same inputs and seed give the same model (false for multi-worker LDA).';
COMMENT ON COLUMN topic_models.versions IS 'Versions of Qatysu and the libraries that fitted the model.';
COMMENT ON COLUMN topic_models.path IS 'Directory the model is saved in (reload it with models.topics.load_model).';
COMMENT ON COLUMN topic_models.created_at IS 'When the fit finished.';

CREATE TABLE topic_coherence (
    model_id       VARCHAR NOT NULL,
    k              INTEGER NOT NULL,
    coherence_cv   DOUBLE,
    coherence_npmi DOUBLE,
    chosen         BOOLEAN NOT NULL,
    PRIMARY KEY (model_id, k)
);
COMMENT ON TABLE topic_coherence IS 'Coherence of every K tried on the grid of an LDA fit; the chosen K is the one kept.';
COMMENT ON COLUMN topic_coherence.model_id IS 'The fit (topic_models.model_id).';
COMMENT ON COLUMN topic_coherence.k IS 'Number of topics tried.';
COMMENT ON COLUMN topic_coherence.coherence_cv IS 'C_v coherence of the top 10 terms (sliding window 110).';
COMMENT ON COLUMN topic_coherence.coherence_npmi IS 'NPMI coherence of the top 10 terms (sliding window 10).';
COMMENT ON COLUMN topic_coherence.chosen IS 'True for the K that was kept (highest C_v, ties by NPMI).';

CREATE TABLE topics (
    model_id      VARCHAR NOT NULL,
    topic_id      INTEGER NOT NULL,
    label         VARCHAR NOT NULL,
    top_terms     VARCHAR[] NOT NULL,
    term_weights  DOUBLE[] NOT NULL,
    size          INTEGER NOT NULL,
    examples      VARCHAR[] NOT NULL,
    PRIMARY KEY (model_id, topic_id)
);
COMMENT ON TABLE topics IS 'Topics of each model: label, top terms in lemma form, size and the most representative posts.';
COMMENT ON COLUMN topics.model_id IS 'The fit (topic_models.model_id).';
COMMENT ON COLUMN topics.topic_id IS 'Topic number; -1 is BERTopic''s outlier topic (posts no cluster took).';
COMMENT ON COLUMN topics.label IS 'Label from the top four terms, e.g. "выборы · явка · участок · голосовать".';
COMMENT ON COLUMN topics.top_terms IS 'Top terms (lemmas; phrases joined with _), strongest first.';
COMMENT ON COLUMN topics.term_weights IS 'Weights of top_terms: P(term | topic) for LDA, c-TF-IDF for BERTopic.';
COMMENT ON COLUMN topics.size IS 'Posts whose main topic this is.';
COMMENT ON COLUMN topics.examples IS 'post_uid of the three most representative posts (highest weight of this topic).';

CREATE TABLE doc_topics (
    model_id VARCHAR NOT NULL,
    post_uid VARCHAR NOT NULL,
    topic_id INTEGER NOT NULL,
    weight   DOUBLE NOT NULL,
    is_main  BOOLEAN NOT NULL,
    PRIMARY KEY (model_id, post_uid, topic_id)
);
COMMENT ON TABLE doc_topics IS 'Topics of each modelled post. Every modelled post has at least its main-topic row.';
COMMENT ON COLUMN doc_topics.model_id IS 'The fit (topic_models.model_id).';
COMMENT ON COLUMN doc_topics.post_uid IS 'The post (posts.post_uid).';
COMMENT ON COLUMN doc_topics.topic_id IS 'Topic (topics.topic_id); -1 for BERTopic outliers.';
COMMENT ON COLUMN doc_topics.weight IS 'Share of the post in the topic: LDA θ (rows below 0.05 dropped, weights of a post sum to ≤ 1); BERTopic 1.0 (one topic per post).';
COMMENT ON COLUMN doc_topics.is_main IS 'True for the post''s highest-weight topic.';

CREATE VIEW v_topic_shares_monthly AS
WITH docs AS (
    SELECT d.model_id, d.post_uid, date_trunc('month', timezone('Asia/Almaty', p.published_at))::DATE AS month
    FROM doc_topics d JOIN posts p USING (post_uid)
    WHERE d.is_main
), totals AS (
    SELECT model_id, month, count(*) AS posts FROM docs GROUP BY ALL
)
SELECT d.model_id, t.month, d.topic_id, tp.label, t.posts,
       sum(d.weight) AS weight, sum(d.weight) / any_value(t.posts) AS share
FROM doc_topics d
JOIN docs x USING (model_id, post_uid)
JOIN totals t ON t.model_id = d.model_id AND t.month = x.month
JOIN topics tp ON tp.model_id = d.model_id AND tp.topic_id = d.topic_id
GROUP BY d.model_id, 2, d.topic_id, tp.label, t.posts;
COMMENT ON VIEW v_topic_shares_monthly IS 'Topic share per month (Kazakhstan time): the mean weight of the topic over the month''s modelled posts (BERTopic: the fraction of posts in the topic).';
COMMENT ON COLUMN v_topic_shares_monthly.model_id IS 'The fit.';
COMMENT ON COLUMN v_topic_shares_monthly.month IS 'First day of the month.';
COMMENT ON COLUMN v_topic_shares_monthly.topic_id IS 'The topic.';
COMMENT ON COLUMN v_topic_shares_monthly.label IS 'Its label.';
COMMENT ON COLUMN v_topic_shares_monthly.posts IS 'Modelled posts in the month.';
COMMENT ON COLUMN v_topic_shares_monthly.weight IS 'Sum of the topic''s weights over those posts.';
COMMENT ON COLUMN v_topic_shares_monthly.share IS 'weight / posts, 0–1.';

CREATE VIEW v_topic_shares_region AS
WITH docs AS (
    SELECT DISTINCT d.model_id, d.post_uid, r.region_code
    FROM doc_topics d JOIN v_post_regions r USING (post_uid)
    WHERE d.is_main
), totals AS (
    SELECT model_id, region_code, count(*) AS posts FROM docs GROUP BY ALL
)
SELECT d.model_id, x.region_code, d.topic_id, tp.label, t.posts,
       sum(d.weight) AS weight, sum(d.weight) / any_value(t.posts) AS share
FROM doc_topics d
JOIN docs x USING (model_id, post_uid)
JOIN totals t ON t.model_id = d.model_id AND t.region_code = x.region_code
JOIN topics tp ON tp.model_id = d.model_id AND tp.topic_id = d.topic_id
GROUP BY d.model_id, 2, d.topic_id, tp.label, t.posts;
COMMENT ON VIEW v_topic_shares_region IS 'Topic share per region: the mean weight of the topic over the modelled posts attributed to the region by any method (a post naming two regions counts in both).';
COMMENT ON COLUMN v_topic_shares_region.model_id IS 'The fit.';
COMMENT ON COLUMN v_topic_shares_region.region_code IS 'The region (current map).';
COMMENT ON COLUMN v_topic_shares_region.topic_id IS 'The topic.';
COMMENT ON COLUMN v_topic_shares_region.label IS 'Its label.';
COMMENT ON COLUMN v_topic_shares_region.posts IS 'Modelled posts attributed to the region.';
COMMENT ON COLUMN v_topic_shares_region.weight IS 'Sum of the topic''s weights over those posts.';
COMMENT ON COLUMN v_topic_shares_region.share IS 'weight / posts, 0–1.';
