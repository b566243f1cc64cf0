"""Writing posts and sources: the single path every collector and importer goes through.

A batch is upserted in one transaction: new posts are inserted, known posts get their counters
(and edited text) updated, and every post that shows counters gets a ``post_metrics`` snapshot. The
batch travels to DuckDB as an Arrow table and is merged with two set-based statements (an anti-join
insert and an ``UPDATE … FROM``), which in DuckDB is several times faster than ``INSERT … ON CONFLICT``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import duckdb
import pyarrow as pa

from warehouse.privacy import author_hash
from warehouse.store import transaction

COUNTERS = ("views", "reactions", "comments", "forwards")

_BATCH_SCHEMA = pa.schema(
    [
        ("ord", pa.int64()),
        ("post_uid", pa.string()),
        ("platform", pa.string()),
        ("source_id", pa.string()),
        ("handle", pa.string()),
        ("post_id", pa.string()),
        ("url", pa.string()),
        ("published_at", pa.timestamp("us", tz="UTC")),
        ("author_hash", pa.string()),
        ("text", pa.string()),
        ("lang", pa.string()),
        ("reply_to", pa.string()),
        ("forwarded_from", pa.string()),
        *((name, pa.int64()) for name in COUNTERS),
        ("region_code", pa.string()),
        ("extra", pa.string()),
    ]
)


def source_id_for(platform: str, handle: str) -> str:
    """The stable source id: ``<platform>:<handle>``, handle lower-cased (handles are case-insensitive)."""
    return f"{platform}:{handle.strip().lower()}"


def post_uid_for(platform: str, handle: str, post_id: str | int) -> str:
    """The unique post id: ``<source_id>:<post_id>``."""
    return f"{source_id_for(platform, handle)}:{post_id}"


@dataclass(frozen=True)
class UpsertResult:
    inserted: int
    updated: int
    metrics: int

    @property
    def total(self) -> int:
        return self.inserted + self.updated


class BadPost(ValueError):
    """A post record lacks what every post needs."""


def _as_utc(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise BadPost(f"published_at must be a datetime or ISO-8601 text, not {value!r}")
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _columns(posts: Iterable[Mapping[str, Any]], author_key: bytes | None) -> pa.Table:
    cols: dict[str, list[Any]] = {field.name: [] for field in _BATCH_SCHEMA}
    for i, post in enumerate(posts):
        try:
            platform, handle, post_id = post["platform"], post["source"], post["post_id"]
        except KeyError as exc:
            raise BadPost(f"post #{i} has no {exc.args[0]!r}; every post needs platform, source, post_id") from exc
        if not platform or not handle or post_id in (None, ""):
            raise BadPost(f"post #{i}: platform, source and post_id must not be empty")
        author = post.get("author")
        if author not in (None, "") and author_key is None:
            raise BadPost("posts carry authors but no author key was given to pseudonymise them")
        extra = post.get("extra")
        cols["ord"].append(i)
        cols["post_uid"].append(post_uid_for(platform, handle, post_id))
        cols["platform"].append(platform)
        cols["source_id"].append(source_id_for(platform, handle))
        cols["handle"].append(handle)
        cols["post_id"].append(str(post_id))
        cols["url"].append(post.get("url"))
        cols["published_at"].append(_as_utc(post.get("published_at")))
        cols["author_hash"].append(
            author_hash(author_key, platform, str(author)) if author not in (None, "") else None
        )
        cols["text"].append(post.get("text"))
        cols["lang"].append(post.get("lang"))
        cols["reply_to"].append(None if post.get("reply_to") is None else str(post["reply_to"]))
        cols["forwarded_from"].append(post.get("forwarded_from"))
        for name in COUNTERS:
            cols[name].append(_optional_int(post.get(name)))
        cols["region_code"].append(post.get("region_code"))
        cols["extra"].append(None if extra is None else json.dumps(extra, ensure_ascii=False, default=str))
    return pa.table(cols, schema=_BATCH_SCHEMA)


_STAGE = """
CREATE OR REPLACE TEMP TABLE _incoming AS
SELECT b.*, md5(coalesce(b.text, '')) AS content_hash, p.post_uid IS NOT NULL AS known
FROM (SELECT * FROM _batch QUALIFY row_number() OVER (PARTITION BY post_uid ORDER BY ord DESC) = 1) b
LEFT JOIN posts p USING (post_uid)
"""

_NEW_SOURCES = """
INSERT INTO sources (source_id, platform, handle, added_at)
SELECT source_id, any_value(platform), any_value(handle), $now
FROM _incoming
WHERE source_id NOT IN (SELECT source_id FROM sources)
GROUP BY source_id
"""

_INSERT = """
INSERT INTO posts (post_uid, platform, source_id, post_id, url, published_at, collected_at, updated_at,
                   author_hash, text, lang, reply_to, forwarded_from, views, reactions, comments, forwards,
                   region_code, content_hash, extra)
SELECT post_uid, platform, source_id, post_id, url, published_at, $now, $now,
       author_hash, text, lang, reply_to, forwarded_from, views, reactions, comments, forwards,
       region_code, content_hash, extra::JSON
FROM _incoming WHERE NOT known
"""

# Counters a re-collection does not show keep their last value; text is replaced only when edited.
_UPDATE = """
UPDATE posts SET
    views          = coalesce(i.views, posts.views),
    reactions      = coalesce(i.reactions, posts.reactions),
    comments       = coalesce(i.comments, posts.comments),
    forwards       = coalesce(i.forwards, posts.forwards),
    text           = CASE WHEN i.text IS NOT NULL THEN i.text ELSE posts.text END,
    content_hash   = CASE WHEN i.text IS NOT NULL THEN i.content_hash ELSE posts.content_hash END,
    url            = coalesce(i.url, posts.url),
    published_at   = coalesce(posts.published_at, i.published_at),
    author_hash    = coalesce(i.author_hash, posts.author_hash),
    reply_to       = coalesce(i.reply_to, posts.reply_to),
    forwarded_from = coalesce(i.forwarded_from, posts.forwarded_from),
    region_code    = coalesce(i.region_code, posts.region_code),
    extra          = coalesce(i.extra::JSON, posts.extra),
    updated_at     = $now
FROM _incoming i
WHERE i.known AND posts.post_uid = i.post_uid
"""

_METRICS = """
INSERT INTO post_metrics (post_uid, observed_at, views, reactions, comments, forwards)
SELECT post_uid, $now, views, reactions, comments, forwards
FROM _incoming
WHERE views IS NOT NULL OR reactions IS NOT NULL OR comments IS NOT NULL OR forwards IS NOT NULL
"""


def upsert_posts(
    con: duckdb.DuckDBPyConnection,
    posts: Iterable[Mapping[str, Any]],
    *,
    author_key: bytes | None = None,
    observed_at: datetime | None = None,
) -> UpsertResult:
    """Insert or update one batch of posts in one transaction.

    Each post is a mapping with ``platform``, ``source`` (the handle), ``post_id`` and any of
    ``url, published_at, text, lang, author, reply_to, forwarded_from, views, reactions, comments,
    forwards, region_code, extra``. ``author`` is replaced by its keyed hash here and never stored.
    Within a batch the last record of a post wins. Missing counters are stored as NULL, never 0.
    """
    batch = _columns(posts, author_key)
    if batch.num_rows == 0:
        return UpsertResult(0, 0, 0)
    now = {"now": observed_at or datetime.now(timezone.utc)}
    con.register("_batch", batch)
    try:
        with transaction(con):
            con.execute(_STAGE)
            inserted, updated = con.execute(
                "SELECT count(*) FILTER (NOT known), count(*) FILTER (known) FROM _incoming"
            ).fetchone()
            con.execute(_NEW_SOURCES, now)
            con.execute(_INSERT, now)
            if updated:
                con.execute(_UPDATE, now)
            metrics = con.execute(_METRICS, now).fetchone()[0]
            con.execute("DROP TABLE _incoming")
    finally:
        con.unregister("_batch")
    return UpsertResult(inserted, updated, metrics)


SOURCE_FIELDS = ("title", "description", "kind", "region_code", "subscribers", "url", "has_public_preview")


def upsert_sources(con: duckdb.DuckDBPyConnection, sources: Iterable[Mapping[str, Any]]) -> int:
    """Register sources or refresh their metadata; fields a record leaves out keep their stored value."""
    rows = []
    for s in sources:
        rows.append(
            [source_id_for(s["platform"], s["handle"]), s["platform"], s["handle"]]
            + [s.get(field) for field in SOURCE_FIELDS]
        )
    if not rows:
        return 0
    names = ", ".join(SOURCE_FIELDS)
    updates = ", ".join(f"{f} = coalesce(excluded.{f}, sources.{f})" for f in SOURCE_FIELDS)
    with transaction(con):
        con.executemany(
            f"""INSERT INTO sources (source_id, platform, handle, {names}, updated_at)
                VALUES (?, ?, ?, {", ".join("?" for _ in SOURCE_FIELDS)}, now())
                ON CONFLICT (source_id) DO UPDATE SET {updates}, updated_at = now()""",
            rows,
        )
    return len(rows)
