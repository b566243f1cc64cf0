-- Temporary table _post_units(post_uid, unit, term) of the posts of one scope (temporary table _groups): every
-- lemma (unit term), phrase (phrase, scored apart from its words), lexicon category (_post_categories) and main
-- topic of topic model $model, once per post. Only the scope's posts are unnested.
CREATE OR REPLACE TEMP TABLE _post_units AS
SELECT post_uid, 'term' AS unit, unnest(list_distinct(lemmas)) AS term
FROM post_lemmas SEMI JOIN _groups USING (post_uid)
UNION ALL
SELECT post_uid, 'phrase', unnest(list_distinct(phrases)) FROM post_phrases SEMI JOIN _groups USING (post_uid)
UNION ALL
SELECT post_uid, 'category', category FROM _post_categories SEMI JOIN _groups USING (post_uid)
UNION ALL
SELECT post_uid, 'topic', model_id || ':' || topic_id
FROM (SELECT * FROM doc_topics WHERE model_id = $model AND is_main) SEMI JOIN _groups USING (post_uid)
