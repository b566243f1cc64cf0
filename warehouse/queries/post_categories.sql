-- Temporary table _post_categories(post_uid, category): the lexicon categories (temporary table _lexicon) of every
-- processed post; a multi-word term must occur in sequence among the post's lemmas.
CREATE OR REPLACE TEMP TABLE _post_categories AS
SELECT DISTINCT w.post_uid, x.category
FROM (SELECT post_uid, unnest(lemmas) AS term FROM post_lemmas) w
JOIN _lexicon x ON x.n_words = 1 AND x.term = w.term
UNION
SELECT DISTINCT l.post_uid, x.category
FROM post_lemmas l JOIN _lexicon x
  ON x.n_words > 1 AND contains(' ' || array_to_string(l.lemmas, ' ') || ' ', ' ' || x.term || ' ')
