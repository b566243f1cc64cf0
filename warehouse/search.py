"""Full-text search and keyword in context over posts.

The ``search_posts`` macro (migration 0016) reads the processed posts' lemmas and scores them by BM25 as it is
asked: nothing is built or kept up to date when posts are processed, so a post is found as soon as it is. A query
in lemmas (what ``qatysu search`` sends, having lemmatised the user's words) finds every form of a word, Russian or
Kazakh."""

from __future__ import annotations

from datetime import datetime

import duckdb

from qatysu.warehouse.queries import query
from qatysu.warehouse.store import WarehouseError


class SearchUnavailable(WarehouseError):
    """No post is processed yet: there is nothing to search."""


def search(con: duckdb.DuckDBPyConnection, lemmas: list[str], *, lang: str | None = None, region: str | None = None,
           source: str | None = None, since: datetime | None = None, until: datetime | None = None,
           limit: int) -> tuple[list[str], list[tuple]]:
    """The best ``limit`` posts for the lemmas, by BM25, with the filters; (columns, rows)."""
    if not con.execute("SELECT count(*) FROM (SELECT 1 FROM post_lemmas LIMIT 1)").fetchone()[0]:
        raise SearchUnavailable("no post is processed yet: run `qatysu process` first")
    cursor = con.execute(query("search"), {"query": " ".join(lemmas), "lang": lang, "region": region,
                                           "source": source, "since": since, "until": until, "limit": limit})
    return [d[0] for d in cursor.description], cursor.fetchall()


def kwic_candidates(con: duckdb.DuckDBPyConnection, *, lemma: str | None, form: str | None,
                    limit: int) -> list[tuple]:
    """Newest posts containing the lemma (among their content lemmas) or the word form (in their text):
    (post_uid, published, source_id, url, text)."""
    return con.execute(query("kwic_candidates"), {"lemma": lemma, "form": form, "limit": limit}).fetchall()
