"""A synthetic corpus stored straight into a warehouse with its true lemmas as the processing output, so that the
statistics can be validated (tests, ``bench/power.py``) without waiting for the text processing; the demo and the
tests of the whole path go through the crawler and ``qatysu process`` instead."""

from __future__ import annotations

from datetime import datetime, timezone

from qatysu.synthetic.corpus import SyntheticCorpus
from qatysu.warehouse import Warehouse, post_uid_for, upsert_posts, upsert_sources
from qatysu.warehouse.nlp_store import ProcessedBatch, store_processed
from qatysu.warehouse.queries import query


def store_with_true_lemmas(wh: Warehouse, corpus: SyntheticCorpus) -> None:
    """Upsert the corpus's sources and posts, and store each post's true lemmas as if processed."""
    with wh.writer() as con:
        upsert_sources(con, corpus.source_records())
        upsert_posts(con, corpus.post_records())
        hashes = dict(con.execute(query("post_content_hashes")).fetchall())
        rows = []
        for p in corpus.posts:
            uid = post_uid_for("telegram", p.handle, p.post_id)
            rows.append((uid, hashes[uid], p.lang, p.lemmas, len(p.lemmas), len(p.lemmas), [], [], [], []))
        store_processed(con, ProcessedBatch.from_rows(rows, []), datetime.now(timezone.utc))
