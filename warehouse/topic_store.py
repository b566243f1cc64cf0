"""Reading the corpus a topic model is fitted on, and storing and listing fits (topic_models, topics, …)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from qatysu.warehouse.queries import query, query_to_parquet
from qatysu.warehouse.store import transaction


@dataclass(frozen=True)
class CorpusFilter:
    """Which processed posts a model sees. Mixed-language posts belong to both the ru and the kk corpus."""

    lang: str = "ru"  # ru, kk or all
    since: datetime | None = None
    until: datetime | None = None
    platforms: Sequence[str] = field(default_factory=tuple)
    sources: Sequence[str] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {"lang": self.lang, "since": self.since and self.since.isoformat(),
                "until": self.until and self.until.isoformat(), "platforms": list(self.platforms),
                "sources": list(self.sources)}

    @property
    def langs(self) -> list[str]:
        return ["ru", "kk", "mixed"] if self.lang == "all" else [self.lang, "mixed"]

    def query_params(self) -> dict[str, Any]:
        """The parameters of the ``topic_corpus`` query."""
        return {"langs": self.langs, "since": self.since, "until": self.until,
                "platforms": list(self.platforms), "sources": list(self.sources)}


def topic_corpus(
    con: duckdb.DuckDBPyConnection, corpus: CorpusFilter, batch: int = 10_000
) -> Iterator[tuple[str, str, list[str]]]:
    """Stream (post_uid, lang, content lemmas) of the processed posts the filter selects, in post_uid order."""
    cursor = con.execute(query("topic_corpus"), corpus.query_params())
    while rows := cursor.fetchmany(batch):
        yield from rows


def write_topic_corpus(con: duckdb.DuckDBPyConnection, corpus: CorpusFilter, path: Path, batch: int = 50_000) -> int:
    """Copy what :func:`topic_corpus` streams into a Parquet file, batch by batch; return the number of posts.
    A fit reads its corpus from there twice (the sample, then every other post), without holding the warehouse."""
    return query_to_parquet(con, "topic_corpus", corpus.query_params(), path, batch)


_DOC_TOPICS = pa.schema([("post_uid", pa.string()), ("topic_id", pa.int32()), ("weight", pa.float64()),
                         ("is_main", pa.bool_())])


def store_topic_fit(
    con: duckdb.DuckDBPyConnection,
    model: dict[str, Any],
    topics: Sequence[dict[str, Any]],
    coherence: Sequence[dict[str, Any]],
    doc_topics: pa.Table,
) -> None:
    """Register a fit and its topics, coherence and document topics in one transaction."""
    con.register("_doc_topics", doc_topics.cast(_DOC_TOPICS))
    try:
        with transaction(con):
            con.execute(
                """INSERT INTO topic_models (model_id, method, lang, k, params, corpus_filter, n_docs, n_terms,
                       coherence_cv, coherence_npmi, deterministic, versions, path, created_at, n_fit, assignment)
                   VALUES ($model_id, $method, $lang, $k, $params, $corpus_filter, $n_docs, $n_terms,
                       $coherence_cv, $coherence_npmi, $deterministic, $versions, $path, $created_at, $n_fit,
                       $assignment)""",
                {**model, "params": json.dumps(model["params"], ensure_ascii=False, default=str),
                 "corpus_filter": json.dumps(model["corpus_filter"], ensure_ascii=False),
                 "versions": json.dumps(model["versions"])},
            )
            con.executemany(
                "INSERT INTO topics VALUES ($model_id, $topic_id, $label, $top_terms, $term_weights, $size, $examples)",
                [{"model_id": model["model_id"], **t} for t in topics],
            )
            con.executemany(
                "INSERT INTO topic_coherence VALUES ($model_id, $k, $cv, $npmi, $chosen)",
                [{"model_id": model["model_id"], **c} for c in coherence],
            )
            con.execute("INSERT INTO doc_topics SELECT ?, post_uid, topic_id, weight, is_main FROM _doc_topics",
                        [model["model_id"]])
    finally:
        con.unregister("_doc_topics")


def list_topic_models(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[tuple]]:
    cursor = con.execute(query("topic_models_list"))
    return [d[0] for d in cursor.description], cursor.fetchall()


def topic_model_info(con: duckdb.DuckDBPyConnection, model_id: str) -> dict[str, Any] | None:
    cursor = con.execute("SELECT * FROM topic_models WHERE model_id = ?", [model_id])
    row = cursor.fetchone()
    return dict(zip([d[0] for d in cursor.description], row)) if row else None


def latest_topic_model(con: duckdb.DuckDBPyConnection, method: str | None = None, lang: str | None = None) -> str | None:
    row = con.execute(
        """SELECT model_id FROM topic_models WHERE ($method IS NULL OR method = $method)
           AND ($lang IS NULL OR lang = $lang) ORDER BY created_at DESC LIMIT 1""",
        {"method": method, "lang": lang}).fetchone()
    return row[0] if row else None


def topics_with_examples(con: duckdb.DuckDBPyConnection, model_id: str) -> list[dict[str, Any]]:
    """Topics of a model, largest first (outliers last), with the texts of their example posts."""
    cursor = con.execute(
        """SELECT topic_id, label, size, top_terms, examples FROM topics WHERE model_id = ?
           ORDER BY topic_id = -1, size DESC, topic_id""", [model_id])
    names = [d[0] for d in cursor.description]
    topics = [dict(zip(names, r)) for r in cursor.fetchall()]
    wanted = [uid for t in topics for uid in t["examples"]]
    texts = dict(con.execute("SELECT post_uid, text FROM posts WHERE post_uid IN (SELECT unnest(?))",
                             [wanted]).fetchall())
    for t in topics:
        t["example_texts"] = [texts[uid] for uid in t["examples"] if texts.get(uid)]
    return topics
