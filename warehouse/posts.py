"""Writing posts and sources: the single path every collector and importer goes through.

A batch is upserted in one transaction: new posts are inserted, known posts get their counters
(and edited text) updated, and every post that shows counters gets a ``post_metrics`` snapshot. The
batch travels to DuckDB as an Arrow table and is merged with two set-based statements (an anti-join
insert and an ``UPDATE … FROM``), which in DuckDB is several times faster than ``INSERT … ON CONFLICT``.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import duckdb
import pyarrow as pa

from qatysu.warehouse.privacy import author_hash
from qatysu.warehouse.store import transaction

COUNTERS = ("views", "reactions", "comments", "forwards")
BATCH = "_batch"  # the relation merge_batch reads

_BATCH_SCHEMA = pa.schema(
    [
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


# Platforms whose ids differ by case (YouTube video and channel ids); other handles are case-insensitive.
CASE_SENSITIVE_PLATFORMS = frozenset({"youtube"})


def source_id_for(platform: str, handle: str) -> str:
    """The stable source id: ``<platform>:<handle>``, the handle lower-cased where the platform ignores case."""
    handle = handle.strip()
    return f"{platform}:{handle if platform in CASE_SENSITIVE_PLATFORMS else handle.lower()}"


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


def _last_record_per_post(posts: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Within one batch the last record of a post wins (a page re-read during the same crawl)."""
    keys = [(p.get("platform"), str(p.get("source", "")).strip().lower(), str(p.get("post_id"))) for p in posts]
    if len(set(keys)) == len(keys):
        return posts
    last = {key: i for i, key in enumerate(keys)}
    return [p for i, (p, key) in enumerate(zip(posts, keys)) if last[key] == i]


def _columns(posts: Iterable[Mapping[str, Any]], author_key: bytes | None) -> pa.Table:
    """Column lists built field by field (much faster than row by row for 100k-post batches).

    The cyclic garbage collector is paused meanwhile: building a batch allocates hundreds of
    thousands of objects and no cycles, and its passes cost about a sixth of the upsert time.
    """
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build_columns(posts, author_key)
    finally:
        if gc_was_enabled:
            gc.enable()


def _build_columns(posts: Iterable[Mapping[str, Any]], author_key: bytes | None) -> pa.Table:
    posts = posts if isinstance(posts, list) else list(posts)
    posts = _last_record_per_post(posts)
    for i, post in enumerate(posts):
        if not post.get("platform") or not post.get("source") or post.get("post_id") in (None, ""):
            raise BadPost(f"post #{i} lacks platform, source or post_id; every post needs all three")
    platforms = [p["platform"] for p in posts]
    authors = [p.get("author") for p in posts]
    forwarded_persons = [p.get("forwarded_from_person") for p in posts]
    named = (*authors, *forwarded_persons, *(p.get("source_is_person") for p in posts)) if author_key is None else ()
    if any(v not in (None, "", False) for v in named):
        raise BadPost("posts name persons (authors, forwarded from, personal chats) but no author key was given "
                      "to pseudonymise them")
    handles = [author_hash(author_key, pl, str(p["source"])) if p.get("source_is_person") else p["source"]
               for p, pl in zip(posts, platforms)]
    source_ids = [source_id_for(pl, h) for pl, h in zip(platforms, handles)]
    post_ids = [str(p["post_id"]) for p in posts]
    cols: dict[str, list[Any]] = {
        "post_uid": [f"{sid}:{pid}" for sid, pid in zip(source_ids, post_ids)],
        "platform": platforms,
        "source_id": source_ids,
        "handle": handles,
        "post_id": post_ids,
        "published_at": [
            v if isinstance(v, datetime) and v.tzinfo else _as_utc(v) for v in (p.get("published_at") for p in posts)
        ],
        "author_hash": [
            None if a in (None, "") else author_hash(author_key, pl, str(a)) for a, pl in zip(authors, platforms)
        ],
        "reply_to": [None if (r := p.get("reply_to")) is None else str(r) for p in posts],
        "extra": [
            None if (e := p.get("extra")) is None else json.dumps(e, ensure_ascii=False, default=str) for p in posts
        ],
    }
    cols["forwarded_from"] = [
        p.get("forwarded_from") if f in (None, "") else author_hash(author_key, pl, str(f))
        for p, f, pl in zip(posts, forwarded_persons, platforms)
    ]
    for name in ("url", "text", "lang", "region_code"):
        cols[name] = [p.get(name) for p in posts]
    for name in COUNTERS:
        cols[name] = [v if v is None or type(v) is int else _optional_int(v) for v in (p.get(name) for p in posts)]
    return pa.table(cols, schema=_BATCH_SCHEMA)


_NEW_SOURCES = """
INSERT INTO sources (source_id, platform, handle, added_at)
SELECT source_id, any_value(platform), any_value(handle), $now
FROM _batch
WHERE source_id NOT IN (SELECT source_id FROM sources)
GROUP BY source_id
"""

# Counters a re-collection does not show keep their last value; text is replaced only when edited.
_UPDATE = """
UPDATE posts SET
    views          = coalesce(b.views, posts.views),
    reactions      = coalesce(b.reactions, posts.reactions),
    comments       = coalesce(b.comments, posts.comments),
    forwards       = coalesce(b.forwards, posts.forwards),
    text           = coalesce(b.text, posts.text),
    content_hash   = CASE WHEN b.text IS NULL THEN posts.content_hash ELSE md5(b.text) END,
    url            = coalesce(b.url, posts.url),
    published_at   = coalesce(posts.published_at, b.published_at),
    author_hash    = coalesce(b.author_hash, posts.author_hash),
    reply_to       = coalesce(b.reply_to, posts.reply_to),
    forwarded_from = coalesce(b.forwarded_from, posts.forwarded_from),
    region_code    = coalesce(b.region_code, posts.region_code),
    extra          = coalesce(b.extra::JSON, posts.extra),
    updated_at     = $now
FROM _batch b
WHERE posts.post_uid = b.post_uid
"""

# Runs after _UPDATE: when the update touched no row every post in the batch is new and the
# anti-join against the whole posts table (its costliest step) is skipped.
_INSERT = """
INSERT INTO posts (post_uid, platform, source_id, post_id, url, published_at, collected_at, updated_at,
                   author_hash, text, lang, reply_to, forwarded_from, views, reactions, comments, forwards,
                   region_code, content_hash, extra)
SELECT post_uid, platform, source_id, post_id, url, published_at, $now, $now,
       author_hash, text, lang, reply_to, forwarded_from, views, reactions, comments, forwards,
       region_code, md5(coalesce(text, '')), extra::JSON
FROM _batch b
"""
_ONLY_NEW = "WHERE NOT EXISTS (SELECT 1 FROM posts p WHERE p.post_uid = b.post_uid)"

_METRICS = """
INSERT INTO post_metrics (post_uid, observed_at, views, reactions, comments, forwards)
SELECT post_uid, $now, views, reactions, comments, forwards
FROM _batch
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
    ``url, published_at, text, lang, author, reply_to, forwarded_from, forwarded_from_person, views, reactions,
    comments, forwards, region_code, extra`` and ``source_is_person``. Persons are replaced by their keyed hash
    here and never stored: ``author``; ``forwarded_from_person`` (a person's id or name, where
    ``forwarded_from`` names a channel or community), stored as ``forwarded_from``; and ``source`` itself when
    ``source_is_person`` (a personal chat, whose id is a person's).
    Within a batch the last record of a post wins. Missing counters are stored as NULL, never 0.
    """
    batch = _columns(posts, author_key)
    if batch.num_rows == 0:
        return UpsertResult(0, 0, 0)
    con.register(BATCH, batch)
    try:
        return merge_batch(con, observed_at=observed_at)
    finally:
        con.unregister(BATCH)


def merge_batch(con: duckdb.DuckDBPyConnection, *, observed_at: datetime | None = None,
                check_known: bool = False) -> UpsertResult:
    """Merge the relation named :data:`BATCH` (the columns of ``_BATCH_SCHEMA``, one row per post) into the
    warehouse in one transaction: the single write path of crawls (through :func:`upsert_posts`) and of file
    imports (which build the batch inside DuckDB).

    ``check_known`` first counts the batch's posts already stored, reading post ids only, and skips the update
    when there are none: worth it for a whole file, whose update would read every text to join nothing."""
    now = {"now": observed_at or datetime.now(timezone.utc)}
    with transaction(con):
        rows, known = con.execute(
            f"SELECT count(*), {'count(*) FILTER (WHERE post_uid IN (SELECT post_uid FROM posts))' if check_known else 'NULL'}"
            f" FROM {BATCH}").fetchone()
        con.execute(_NEW_SOURCES, now)
        updated = 0 if known == 0 else con.execute(_UPDATE, now).fetchone()[0]
        if updated == rows:
            inserted = 0
        else:
            inserted = con.execute(_INSERT + (_ONLY_NEW if updated else ""), now).fetchone()[0]
        metrics = con.execute(_METRICS, now).fetchone()[0]
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
