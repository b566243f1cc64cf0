-- The fitted topic models, newest first.
SELECT model_id, method, lang, k, n_docs, n_terms, round(coherence_cv, 3) AS c_v, round(coherence_npmi, 3) AS npmi,
       created_at
FROM topic_models
ORDER BY created_at DESC
