"""Reading posts: full-text search with the query lemmatised as the posts were, and keyword in context.

Both meet the posts through their lemmas, so "выборов" finds posts that say "выборы" or "выборам". The keyword
in context is cut from each post's own words: the candidate posts are analysed again with the processing step's
lemmatiser, and every token whose lemma (or, without ``lemma``, whose form) is the term is shown with
``window`` words either side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from qatysu.nlp.pipeline import analyze
from qatysu.warehouse import Warehouse
from qatysu.warehouse.search import kwic_candidates, search

KWIC_COLUMNS = ["post_uid", "published", "source_id", "left", "keyword", "right", "url"]


def query_lemmas(text: str) -> list[str]:
    """The content lemmas of a query, as processing stores them (the words themselves when none is left)."""
    analysis = next(analyze([text]))
    return analysis.content_lemmas or analysis.word_lemmas or text.lower().split()


def search_posts(wh: Warehouse, text: str, *, live: bool = False, **filters) -> tuple[list[str], list[tuple]]:
    """BM25 search for the lemmas of ``text``; ``filters`` as :func:`qatysu.warehouse.search.search` takes."""
    lemmas = query_lemmas(text)
    with wh.reader(live=live) as con:
        return search(con, lemmas, **filters)


@dataclass(frozen=True)
class Concordance:
    term: str  # what was looked for: the lemma, or the form
    rows: list[tuple]  # in the order of KWIC_COLUMNS
    posts: int  # posts read


def kwic(wh: Warehouse, term: str, *, window: int, lemma: bool, limit: int, live: bool = False) -> Concordance:
    """Every occurrence of ``term`` in the newest ``limit`` posts that contain it, with its context."""
    wanted = query_lemmas(term)[0] if lemma else term.strip().lower()
    with wh.reader(live=live) as con:
        posts = kwic_candidates(con, lemma=wanted if lemma else None, form=None if lemma else re.escape(wanted),
                                limit=limit)
    rows = []
    for (uid, published, source, url, _), analysis in zip(posts, analyze(p[4] or "" for p in posts)):
        words = [t for t in analysis.tokens if t.lang is not None or t.text.isalnum()]
        for i, token in enumerate(words):
            if (token.lemma if lemma else token.text.lower()) == wanted:
                left = " ".join(t.text for t in words[max(0, i - window):i])
                right = " ".join(t.text for t in words[i + 1:i + 1 + window])
                rows.append((uid, published, source, left, token.text, right, url))
    return Concordance(wanted, rows, len(posts))
