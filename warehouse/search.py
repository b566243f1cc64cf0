"""Full-text search and keyword in context over posts.

The BM25 index (DuckDB's FTS extension) is built over ``post_search``: each processed post's lemmas and phrases,
with a Snowball Russian stemmer on top. A query in lemmas (what ``qatysu search`` sends, having lemmatised the
user's words) finds every form of a word; a query typed in SQL with an inflected Russian form still meets its
lemma's stem. DuckDB's FTS index does not follow its table, so :func:`refresh_search_index` rebuilds both (the
processing step calls it after storing posts) and creates the ``search_posts`` macro again: a macro is bound to
the index's functions when it is created.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from qatysu.warehouse.extensions import load_fts
from qatysu.warehouse.queries import query
from qatysu.warehouse.store import WarehouseError, transaction

INDEX_SCHEMA = "fts_main_post_search"

_MACRO = f"""
CREATE OR REPLACE MACRO search_posts(query) AS TABLE
SELECT s.post_uid, s.score, p.published_local, p.platform, p.source_id, p.source_kind, p.lang,
       p.views, p.interactions, p.url, p.text
FROM (SELECT post_uid, {INDEX_SCHEMA}.match_bm25(post_uid, query) AS score FROM post_search) s
JOIN v_posts p USING (post_uid)
WHERE s.score IS NOT NULL;
COMMENT ON MACRO TABLE search_posts IS 'BM25 full-text search over the posts'' lemmas and phrases, e.g. '
    'SELECT * FROM search_posts(''выборы явка'') ORDER BY score DESC LIMIT 20. Words in dictionary form find every '
    'form (qatysu nlp analyze shows a word''s lemma); Russian inflected forms match through stemming. '
    'Rebuilt by qatysu process.';
"""


class SearchUnavailable(WarehouseError):
    """No search index yet (the posts were never processed) or no FTS extension."""


def has_search_index(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_schemas() WHERE schema_name = ?", [INDEX_SCHEMA]).fetchone()[0] > 0


def refresh_search_index(con: duckdb.DuckDBPyConnection) -> int:
    """Rebuild ``post_search``, its BM25 index and the ``search_posts`` macro; returns the posts indexed."""
    if not load_fts(con):
        raise SearchUnavailable("the full-text search extension is not installed: "
                                f"pip install duckdb-extension-fts=={duckdb.__version__}")
    with transaction(con):
        con.execute("DELETE FROM post_search")
        con.execute("""INSERT INTO post_search
                       SELECT l.post_uid, l.lang, array_to_string(l.lemmas || coalesce(f.phrases, []), ' ')
                       FROM post_lemmas l LEFT JOIN post_phrases f USING (post_uid)""")
    # words are split on spaces only (phrases keep their underscores); the lemmas hold no stop words
    con.execute("PRAGMA create_fts_index('post_search', 'post_uid', 'words', stemmer = 'russian', "
                "stopwords = 'none', ignore = '\\s+', strip_accents = 0, lower = 1, overwrite = 1)")
    con.execute(_MACRO)
    return con.execute("SELECT count(*) FROM post_search").fetchone()[0]


def search(con: duckdb.DuckDBPyConnection, lemmas: list[str], *, lang: str | None = None, region: str | None = None,
           source: str | None = None, since: datetime | None = None, until: datetime | None = None,
           limit: int) -> tuple[list[str], list[tuple]]:
    """The best ``limit`` posts for the lemmas, by BM25, with the filters; (columns, rows)."""
    if not has_search_index(con):
        raise SearchUnavailable("no search index yet: run `qatysu process` (it builds the index)")
    cursor = con.execute(query("search"), {"query": " ".join(lemmas), "lang": lang, "region": region,
                                           "source": source, "since": since, "until": until, "limit": limit})
    return [d[0] for d in cursor.description], cursor.fetchall()


def kwic_candidates(con: duckdb.DuckDBPyConnection, *, lemma: str | None, form: str | None,
                    limit: int) -> list[tuple]:
    """Newest posts containing the lemma (among their content lemmas) or the word form (in their text):
    (post_uid, published, source_id, url, text)."""
    return con.execute(query("kwic_candidates"), {"lemma": lemma, "form": form, "limit": limit}).fetchall()
