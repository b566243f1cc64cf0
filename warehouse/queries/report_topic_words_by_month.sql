-- Topics over time (BERTopic's topics_over_time representation, for any model): each topic's words of each
-- month, ranked by c-TF-IDF — the word's count among the month's posts of the topic times
-- ln(1 + mean words per topic / the word's count over all topics) — over the posts whose main topic it is.
-- The words of a (topic, month) cell are counted in at most $per_cell of its posts (a fixed pseudo-random
-- choice, by a hash of the post id), so the cost is bounded by the number of cells, not of posts; posts counts
-- them all.
WITH docs AS (
    SELECT d.model_id, d.topic_id, d.post_uid, m.month,
           count(*) OVER cell AS posts,
           row_number() OVER (cell ORDER BY hash(d.post_uid), d.post_uid) AS pick
    FROM doc_topics d JOIN posts p USING (post_uid)
    CROSS JOIN LATERAL (SELECT date_trunc('month', timezone('Asia/Almaty', p.published_at))::DATE AS month) m
    WHERE d.is_main AND d.topic_id >= 0 AND d.model_id IN (SELECT unnest($models))
    WINDOW cell AS (PARTITION BY d.model_id, d.topic_id, m.month)
), cells AS (
    SELECT DISTINCT model_id, topic_id, month, posts FROM docs
), words AS (
    SELECT d.model_id, d.topic_id, d.month, unnest(l.lemmas) AS term
    FROM docs d JOIN post_lemmas l USING (post_uid)
    WHERE d.pick <= $per_cell
), tf AS (
    SELECT model_id, topic_id, month, term, count(*) AS n FROM words GROUP BY ALL
), totals AS (
    SELECT model_id, term, sum(n) AS total FROM tf GROUP BY ALL
), per_topic AS (
    SELECT model_id, sum(n) / count(DISTINCT topic_id) AS mean_words FROM tf GROUP BY ALL
), ranked AS (
    SELECT tf.*, tf.n * ln(1 + a.mean_words / t.total) AS ctfidf,
           row_number() OVER (PARTITION BY tf.model_id, tf.topic_id, tf.month
                              ORDER BY tf.n * ln(1 + a.mean_words / t.total) DESC, tf.term) AS r
    FROM tf JOIN totals t USING (model_id, term) JOIN per_topic a USING (model_id)
)
SELECT r.model_id, r.topic_id, tp.label, r.month, any_value(c.posts) AS posts,
       string_agg(r.term, ', ' ORDER BY r.r) AS words
FROM ranked r JOIN topics tp USING (model_id, topic_id) JOIN cells c USING (model_id, topic_id, month)
WHERE r.r <= 6
GROUP BY r.model_id, r.topic_id, tp.label, r.month
ORDER BY r.model_id, r.topic_id, r.month
