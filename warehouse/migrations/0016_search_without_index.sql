-- Full-text search that follows the posts with nothing to maintain: search_posts reads the processed posts' lemmas
-- (post_lemmas) and scores them by BM25 as it is asked, 0.5–1.3 s at a million posts on two cores. The index of
-- DuckDB's FTS extension did not follow its table, so every run of qatysu process rebuilt it over the whole warehouse
-- (about 50 s at a million posts, whatever the number of new ones), and its Snowball Russian stemmer read Kazakh
-- words as Russian too.

DROP MACRO TABLE IF EXISTS search_posts;
DROP SCHEMA IF EXISTS fts_main_post_search CASCADE;
DROP TABLE post_search;
CREATE VIEW post_search AS
SELECT l.post_uid, l.lang, array_to_string(l.lemmas || coalesce(f.phrases, []), ' ') AS words
FROM post_lemmas l LEFT JOIN post_phrases f USING (post_uid);
COMMENT ON VIEW post_search IS 'Each processed post''s lemmas and phrases as one text, as search_posts reads them (formerly a table rebuilt by qatysu process).';
COMMENT ON COLUMN post_search.post_uid IS 'The post (posts.post_uid).';
COMMENT ON COLUMN post_search.lang IS 'Language of the post (post_lemmas.lang).';
COMMENT ON COLUMN post_search.words IS 'Content lemmas in text order, then the phrases, separated by spaces.';

-- BM25 with k1 = 1.2 and b = 0.75, idf = ln(1 + (N - df + 0.5) / (df + 0.5)) (Lucene's, never negative); N, df and
-- the mean length over the processed posts, a post's length its content lemmas. A term with an underscore is a
-- phrase (post_phrases), counted among the post's phrases.
CREATE MACRO search_posts(query) AS TABLE
WITH terms AS (
    SELECT DISTINCT t AS term FROM (SELECT unnest(string_split(lower(trim(query)), ' ')) AS t) WHERE t <> ''
), hits AS (
    SELECT t.term, l.post_uid, len(list_filter(l.lemmas, x -> x = t.term)) AS tf
    FROM post_lemmas l JOIN terms t ON list_contains(l.lemmas, t.term)
    UNION ALL
    SELECT t.term, f.post_uid, len(list_filter(f.phrases, x -> x = t.term)) AS tf
    FROM post_phrases f JOIN terms t ON t.term LIKE '%\_%' ESCAPE '\' AND list_contains(f.phrases, t.term)
), corpus AS (
    SELECT count(*) AS n, avg(content_tokens) AS avgdl FROM post_lemmas
), idf AS (
    SELECT term, ln(1 + (c.n - count(*) + 0.5) / (count(*) + 0.5)) AS idf FROM hits, corpus c GROUP BY term, c.n
), scored AS (
    SELECT h.post_uid,
           sum(i.idf * h.tf * 2.2 / (h.tf + 1.2 * (0.25 + 0.75 * l.content_tokens / c.avgdl))) AS score
    FROM hits h JOIN idf i USING (term) JOIN post_lemmas l USING (post_uid), corpus c
    GROUP BY h.post_uid
)
SELECT s.post_uid, s.score, p.published_local, p.published_at, p.platform, p.source_id, p.source_kind, p.lang,
       p.views, p.interactions, p.url, p.text
FROM scored s JOIN v_posts p USING (post_uid);
COMMENT ON MACRO TABLE search_posts IS 'BM25 full-text search over the posts'' content lemmas (k1 1.2, b 0.75), e.g. SELECT * FROM search_posts(''выборы явка'') ORDER BY score DESC LIMIT 20. Words in dictionary form, as qatysu nlp analyze shows them, find every form of the word (qatysu search lemmatises the query for you); a phrase with an underscore (явка_избирателей) finds the posts with that phrase.';
