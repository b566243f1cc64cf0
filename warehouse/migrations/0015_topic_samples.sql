-- Topic models at scale: a model is fitted on a seeded random sample of the posts (all of them when they are
-- fewer than the sample size) and the other posts are assigned topics by the fitted model, batch by batch.
-- The registry says how many posts the fit saw and how the others got their topics.

ALTER TABLE topic_models ADD COLUMN n_fit INTEGER;
ALTER TABLE topic_models ADD COLUMN assignment VARCHAR;
COMMENT ON COLUMN topic_models.n_fit IS 'Posts the model was fitted on: a seeded random sample of the n_docs posts modelled, or all of them (NULL for fits recorded before samples were).';
COMMENT ON COLUMN topic_models.assignment IS 'How the posts outside the fit sample got their topics: "fit" when the sample was every post, else the fitted model''s inference in batches (LDA: posterior mean θ; BERTopic: transform, then the same outlier reduction as the fit).';
COMMENT ON COLUMN topic_models.n_docs IS 'Posts modelled: every post of the corpus filter has its topics in doc_topics (see n_fit for how many the model was fitted on).';
COMMENT ON COLUMN topic_models.coherence_cv IS 'C_v coherence of the chosen model (0–1, higher is better), measured on a sample of the fit sample (params.coherence_docs posts).';
