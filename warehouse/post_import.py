"""Staged posts into the warehouse: checked, typed, pseudonymised and merged through the same upsert as crawls.

Values that need Python (the keyed hash of authors, region names, source ids) are computed once per distinct
value and joined back, so a file of 100,000 posts costs a few thousand Python calls, not 100,000.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

import duckdb
import pyarrow as pa

from qatysu.warehouse.posts import BATCH, UpsertResult, merge_batch, source_id_for
from qatysu.warehouse.privacy import author_hash
from qatysu.warehouse.staging import STAGED
from qatysu.warehouse.validation import LINE, PLATFORMS, Column, find_problems

# The columns of `qatysu import csv|jsonl`; the first five must be in the file's header.
REQUIRED = ("platform", "source", "post_id", "published_at", "text")
FILE_COLUMNS = (
    Column("platform", "choice", required=True, choices=PLATFORMS),
    Column("source", "id", required=True),
    Column("post_id", "id", required=True),
    Column("published_at", "time", required=True),
    Column("text", "text"),
    Column("views", "count"),
    Column("reactions", "count"),
    Column("comments", "count"),
    Column("forwards", "count"),
    Column("region", "lookup", lookup="_regions"),
    Column("author", "text"),
    Column("url", "text"),
)
# An export also knows what a post replies to, where it was forwarded from (a channel's name, or a person, who
# is pseudonymised), whether the source is a person (a personal chat), and platform details.
EXPORT_COLUMNS = (*FILE_COLUMNS, Column("reply_to", "id"), Column("forwarded_from", "text"),
                  Column("forwarded_from_person", "text"), Column("source_is_person", "choice", choices=("true",)),
                  Column("extra", "json"))
_SQL_TYPES = {"count": "BIGINT", "time": "TIMESTAMPTZ"}


def present(con: duckdb.DuckDBPyConnection, columns: Sequence[Column]) -> list[Column]:
    """The columns of ``columns`` that the staged table has."""
    have = {name for (name,) in con.execute(f"SELECT column_name FROM (DESCRIBE {STAGED})").fetchall()}
    return [c for c in columns if c.name in have]


def staged_problems(con: duckdb.DuckDBPyConnection, columns: Sequence[Column], *, json_types: bool,
                    resolve_region: Callable[[str], str | None],
                    checks: Callable[[Sequence[Column]], Sequence[str]] | None = None
                    ) -> list[tuple[int | None, str]]:
    """Every problem of the staged rows, after registering the region names they use; ``checks`` gives the
    checks across columns and rows (petitions) for the columns the file has."""
    cols = present(con, columns)
    keys: list[str] = []
    if any(c.name == "region" for c in cols):
        keys = [k for (k,) in con.execute(
            f"SELECT DISTINCT trim(region) FROM {STAGED} WHERE nullif(trim(region), '') IS NOT NULL").fetchall()]
    con.register("_regions", pa.table({"key": pa.array(keys, pa.string()),
                                       "value": pa.array([resolve_region(k) for k in keys], pa.string())}))
    return find_problems(con, STAGED, cols, json_types=json_types, checks=checks(cols) if checks else ())


def merge_staged_posts(con: duckdb.DuckDBPyConnection, columns: Sequence[Column], *, author_key: bytes | None,
                       skip_lines: Iterable[int] = (), observed_at: datetime | None = None) -> UpsertResult:
    """Write the staged rows, but those starting on ``skip_lines``, in one transaction (after
    :func:`staged_problems`); the last row of a post within the file wins, as in a crawl."""
    cols = {c.name: c for c in present(con, columns)}
    skip = sorted(set(skip_lines))
    if skip:  # the bad rows leave the staged table, which the batch below reads
        con.execute(f"DELETE FROM {STAGED} WHERE {LINE} IN (SELECT unnest(?::BIGINT[]))", [skip])

    def col(name: str) -> str:
        if name in cols:
            return cols[name].value()
        kind = next((c.kind for c in columns if c.name == name), "text")
        return f"NULL::{_SQL_TYPES.get(kind, 'VARCHAR')}"

    _register_keys(con, col("platform"), col("source"), col("author"), col("forwarded_from_person"),
                   col("source_is_person"), author_key)
    duplicates = con.execute(f"SELECT count(*) - count(DISTINCT ({col('platform')}, {col('source')}, "
                             f"{col('post_id')})) FROM {STAGED}").fetchone()[0]
    last_wins = ("QUALIFY row_number() OVER (PARTITION BY s.source_id, post_id ORDER BY t.rowid DESC) = 1"
                 if duplicates else "")
    # A view, not a table: the casts were made once when the file was staged, the joins are with tables of a
    # few hundred rows, and the text, the bulk of a file, is then copied once, by the insert.
    con.execute(f"""
        CREATE OR REPLACE TEMP VIEW {BATCH} AS
        SELECT s.source_id || ':' || {col('post_id')} AS post_uid, s.src_platform AS platform, s.source_id,
               s.handle,
               {col('post_id')} AS post_id, {col('url')} AS url, {col('published_at')} AS published_at,
               a.author_hash, {col('text')} AS text, NULL::VARCHAR AS lang, {col('reply_to')} AS reply_to,
               coalesce(f.author_hash, {col('forwarded_from')}) AS forwarded_from, {col('views')} AS views,
               {col('reactions')} AS reactions,
               {col('comments')} AS comments, {col('forwards')} AS forwards, {col('region')} AS region_code,
               {col('extra')} AS extra
        FROM {STAGED} t
        JOIN _source_ids s ON s.src_platform = {col('platform')} AND s.src_handle = {col('source')}
        LEFT JOIN _author_hashes a ON a.au_platform = s.src_platform AND a.au_author = {col('author')}
        LEFT JOIN _author_hashes f ON f.au_platform = s.src_platform AND f.au_author = {col('forwarded_from_person')}
        {last_wins}""")
    try:
        return merge_batch(con, observed_at=observed_at, check_known=True)
    finally:
        con.execute(f"DROP VIEW IF EXISTS {BATCH}")
        con.unregister("_source_ids")
        con.unregister("_author_hashes")


def _register_keys(con: duckdb.DuckDBPyConnection, platform: str, source: str, author: str, forwarded_person: str,
                   source_is_person: str, author_key: bytes | None) -> None:
    """``_source_ids`` and ``_author_hashes``, computed in Python once per distinct value. Persons — authors,
    those a post was forwarded from, the person of a personal chat (its id is the source's handle) — get the
    keyed hash."""
    pairs = con.execute(f"SELECT DISTINCT {platform}, {source}, {source_is_person} IS NOT NULL FROM {STAGED}"
                        ).fetchall()
    authors = con.execute(
        f"SELECT DISTINCT {platform}, {author} FROM {STAGED} WHERE {author} IS NOT NULL UNION "
        f"SELECT DISTINCT {platform}, {forwarded_person} FROM {STAGED} WHERE {forwarded_person} IS NOT NULL"
    ).fetchall()
    if (authors or any(person for *_, person in pairs)) and author_key is None:
        raise ValueError("posts name persons (authors, forwarded from, personal chats) but no author key was given "
                         "to pseudonymise them")
    handles = [author_hash(author_key, p, h) if person else h for p, h, person in pairs]
    con.register("_source_ids", pa.table({
        "src_platform": pa.array([p for p, _, _ in pairs], pa.string()),
        "src_handle": pa.array([h for _, h, _ in pairs], pa.string()),
        "handle": pa.array(handles, pa.string()),
        "source_id": pa.array([source_id_for(p, h) for (p, _, _), h in zip(pairs, handles)], pa.string()),
    }))
    con.register("_author_hashes", pa.table({
        "au_platform": pa.array([p for p, _ in authors], pa.string()),
        "au_author": pa.array([a for _, a in authors], pa.string()),
        "author_hash": pa.array([author_hash(author_key, p, a) for p, a in authors], pa.string()),
    }))
