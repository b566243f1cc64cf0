-- (unit, term, lang, count_high, count_low, count_all) over temporary table _groups: every lemma and phrase,
-- lexicon category (_post_categories) and main topic of topic model $model, counted once per post; units found
-- in fewer than $min_count posts of the scope are left out. Only the scope's posts are unnested.
WITH units AS (
    SELECT post_uid, 'term' AS unit, unnest(list_distinct(lemmas)) AS term
    FROM post_lemmas SEMI JOIN _groups USING (post_uid)
    UNION ALL
    SELECT post_uid, 'term', unnest(list_distinct(phrases)) FROM post_phrases SEMI JOIN _groups USING (post_uid)
    UNION ALL
    SELECT post_uid, 'category', category FROM _post_categories
    UNION ALL
    SELECT post_uid, 'topic', model_id || ':' || topic_id FROM doc_topics
    WHERE model_id = $model AND is_main
)
SELECT u.unit, u.term, mode(g.lang) AS lang,
       count(*) FILTER (WHERE g.grp = 'high') AS count_high,
       count(*) FILTER (WHERE g.grp = 'low') AS count_low,
       count(*) AS count_all
FROM units u JOIN _groups g USING (post_uid)
GROUP BY u.unit, u.term
HAVING count(*) >= $min_count
ORDER BY u.unit, u.term
