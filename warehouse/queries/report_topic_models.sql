-- Report: the topic models $models with their size and coherence.
SELECT model_id, method, lang, k, n_docs, n_terms, coherence_cv, coherence_npmi, deterministic,
       params::VARCHAR AS params, created_at
FROM topic_models
WHERE model_id IN (SELECT unnest($models))
