"""Staged petitions into the warehouse: the columns a petitions file may have, the checks across them, and the
write of the checked rows — the petitions, a signature reading each and each petition's title and text as a post
of platform ``petition`` (so ``qatysu process`` gives it a language, lemmas and regions) — in one transaction.

Petition files are staged and checked exactly as post files are (:mod:`.staging`, :mod:`.validation`); only the
column list differs, plus two checks a column alone cannot make: a petition may appear once per file (which of
two readings would be the right one?) and cannot close before it opens.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timezone

import duckdb
import pyarrow as pa

from qatysu.warehouse.petitions import POST_PLATFORM
from qatysu.warehouse.post_import import present
from qatysu.warehouse.posts import BATCH, UpsertResult, merge_batch
from qatysu.warehouse.privacy import author_hash
from qatysu.warehouse.queries import query
from qatysu.warehouse.staging import STAGED
from qatysu.warehouse.store import transaction
from qatysu.warehouse.validation import LINE, Column

# The columns of `qatysu import petitions`; the first five must be in the file's header.
REQUIRED = ("platform", "petition_id", "title", "created_at", "signatures")
PETITION_COLUMNS = (
    Column("platform", "name", required=True),
    Column("petition_id", "id", required=True),
    Column("title", "text", required=True),
    Column("created_at", "time", required=True),
    Column("signatures", "count", required=True),
    Column("text", "text"),
    Column("url", "text"),
    Column("author", "text"),
    Column("closes_at", "time"),
    Column("status", "text"),
    Column("target", "text"),
    Column("region", "lookup", lookup="_regions"),
    Column("topic_tags", "tags"),
    Column("threshold", "count"),
    Column("observed_at", "time"),
)
_SQL_TYPES = {"count": "BIGINT", "time": "TIMESTAMPTZ", "tags": "VARCHAR[]"}
QUOTE = "''''"  # a SQL literal holding one single quote, to quote values in refusals


def _col(have: Sequence[Column], name: str) -> str:
    """The typed value of column ``name`` of a staged row, or a typed NULL when the file lacks the column."""
    column = next((c for c in have if c.name == name), None)
    if column is not None:
        return column.value()
    kind = next(c.kind for c in PETITION_COLUMNS if c.name == name)
    return f"NULL::{_SQL_TYPES.get(kind, 'VARCHAR')}"


def petition_checks(have: Sequence[Column]) -> list[str]:
    """The checks across columns and rows, as SQL over the staged petitions whose file has the columns
    ``have`` (see validation.problems_query)."""
    platform, petition_id = _col(have, "platform"), _col(have, "petition_id")
    same = f"PARTITION BY {platform}, {petition_id}"  # one petition of one platform, in file order
    # (a file staged without lines is staged again with them when anything is wrong, so the line is then known)
    checks = [f"CASE WHEN {platform} IS NOT NULL AND {petition_id} IS NOT NULL "
              f"AND row_number() OVER ({same} ORDER BY {LINE}, rowid) > 1 "
              f"THEN 'petition {POST_PLATFORM}:' || {platform} || ':' || {petition_id} || "
              f"' again (first at line ' || coalesce(min({LINE}) OVER ({same})::VARCHAR, '?') || ')' END"]
    raw = {c.name: c.raw for c in have}
    if "closes_at" in raw:
        checks.append(f"CASE WHEN {_col(have, 'closes_at')} < {_col(have, 'created_at')} THEN "
                      f"'closes_at ' || {QUOTE} || trim({raw['closes_at']}) || {QUOTE} || ' is before created_at ' "
                      f"|| {QUOTE} || trim({raw['created_at']}) || {QUOTE} END")
    return checks


def merge_staged_petitions(con: duckdb.DuckDBPyConnection, columns: Sequence[Column], *, author_key: bytes | None,
                           skip_lines: Iterable[int] = ()) -> UpsertResult:
    """Write the staged petitions, but those starting on ``skip_lines``, in one transaction: upsert the petitions
    and their posts and append one reading each (a reading already stored for the same petition and time, the
    same file imported again, is not repeated). Returns new and updated petitions and readings appended."""
    now = datetime.now(timezone.utc)  # the reading's time when the file gives no observed_at
    staged = present(con, columns)
    col = lambda name: _col(staged, name)  # noqa: E731
    skip = sorted(set(skip_lines))
    if skip:
        con.execute(f"DELETE FROM {STAGED} WHERE {LINE} IN (SELECT unnest(?::BIGINT[]))", [skip])
    authors = [a for (a,) in con.execute(f"SELECT DISTINCT {col('author')} FROM {STAGED} "
                                         f"WHERE {col('author')} IS NOT NULL").fetchall()]
    if authors and author_key is None:
        raise ValueError("petitions carry authors but no author key was given to pseudonymise them")
    # the same pseudonym as the petition's post: the keyed hash with platform petition
    con.register("_petition_authors", pa.table({
        "pa_author": pa.array(authors, pa.string()),
        "author_hash": pa.array([author_hash(author_key, POST_PLATFORM, a) for a in authors], pa.string())}))
    try:
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _petitions AS
            SELECT '{POST_PLATFORM}:' || {col('platform')} || ':' || {col('petition_id')} AS petition_uid,
                   {col('platform')} AS platform, {col('petition_id')} AS petition_id, {col('url')} AS url,
                   trim({col('title')}) AS title, {col('text')} AS text, a.author_hash,
                   {col('created_at')} AS created_at, {col('closes_at')} AS closes_at,
                   lower(trim({col('status')})) AS status, {col('target')} AS target,
                   {col('region')} AS region_code, {col('topic_tags')} AS topic_tags,
                   {col('signatures')} AS signatures, {col('threshold')} AS threshold,
                   coalesce({col('observed_at')}, $now) AS observed_at
            FROM {STAGED} LEFT JOIN _petition_authors a ON a.pa_author = {col('author')}""", {"now": now})
    finally:
        con.unregister("_petition_authors")
    con.execute(query("petition_posts_batch"))
    try:
        with transaction(con):
            merge_batch(con, observed_at=now, check_known=True)
            known = con.execute("SELECT count(*) FROM _petitions SEMI JOIN petitions USING (petition_uid)"
                                ).fetchone()[0]
            rows = con.execute("SELECT count(*) FROM _petitions").fetchone()[0]
            con.execute(query("upsert_petitions"), {"now": now})
            readings = con.execute(query("append_petition_signatures")).fetchone()[0]
    finally:
        con.execute(f"DROP VIEW IF EXISTS {BATCH}")
        con.execute("DROP TABLE IF EXISTS _petitions")
    return UpsertResult(rows - known, known, readings)
