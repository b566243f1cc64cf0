"""Reading posts to process and storing what the processing step made of them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, chain
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from qatysu.warehouse.queries import query, query_to_parquet
from qatysu.warehouse.store import transaction


# warehouse_meta key of the lemma state a language's stored phrases were built from (see lemma_state)
_PHRASES_KEY = "phrases built from:{lang}"

PostText = tuple[str, str, str | None]  # (post_uid, content_hash, text): plain tuples cross to worker processes cheaply


def stage_pending(con: duckdb.DuckDBPyConnection, path: Path, *, since: datetime | None,
                  reprocess_before: datetime | None, batch: int = 20_000) -> int:
    """Write every pending post (the macro ``pending_posts``: never processed, edited since, or processed before
    ``reprocess_before``) with whether it was processed before into a Parquet file, in ``post_uid`` order,
    streaming; return how many there are. The processing step takes its batches from
    there: asking the warehouse for the next batch would join all posts with all lemmas each time."""
    return query_to_parquet(con, "pending_posts_all", {"since": since, "reprocess": reprocess_before}, path, batch)


def staged_batches(path: Path, size: int) -> Iterator[tuple[list[PostText], bool]]:
    """The posts of a :func:`stage_pending` file, ``size`` at a time, each batch with whether any of its posts
    was processed before."""
    for part in pq.ParquetFile(path).iter_batches(batch_size=size):
        columns = [part.column(i).to_pylist() for i in range(3)]
        yield list(zip(*columns)), pc.any(part.column(3)).as_py() or False


def region_aliases(con: duckdb.DuckDBPyConnection) -> tuple[tuple[str, str, str], ...]:
    """(alias, region code, alias kind) of every region name, for matching regions in text."""
    return tuple(con.execute("SELECT alias, region_code, alias_kind FROM region_aliases ORDER BY ALL").fetchall())


_LEMMAS = pa.schema([
    ("post_uid", pa.string()), ("content_hash", pa.string()), ("lang", pa.string()),
    ("lemmas", pa.list_(pa.string())), ("tokens", pa.int32()), ("content_tokens", pa.int32()),
    ("hashtags", pa.list_(pa.string())), ("mentions", pa.list_(pa.string())), ("urls", pa.list_(pa.string())),
    ("emoji", pa.list_(pa.string())),
])
_REGIONS = pa.schema([("post_uid", pa.string()), ("region_code", pa.string()), ("confidence", pa.float64()),
                      ("evidence", pa.string())])


LEMMA_COLUMNS = tuple(_LEMMAS.names)  # post_lemmas' columns less processed_at
REGION_COLUMNS = tuple(_REGIONS.names)  # post_regions' columns less method


def _column(values: Sequence, type_: pa.DataType) -> pa.Array:
    """One column; a list column from its values flattened and their offsets, several times faster than Arrow's
    conversion of a Python list per row."""
    if not pa.types.is_list(type_):
        return pa.array(values, type=type_)
    offsets = [0]
    offsets.extend(accumulate(map(len, values)))
    return pa.ListArray.from_arrays(pa.array(offsets, type=pa.int32()),
                                    pa.array(list(chain.from_iterable(values)), type=type_.value_type))


def _table(rows: Sequence[tuple], schema: pa.Schema) -> pa.Table:
    columns = list(zip(*rows)) or [()] * len(schema)
    return pa.Table.from_arrays([_column(c, f.type) for c, f in zip(columns, schema)], schema=schema)


@dataclass(frozen=True)
class ProcessedBatch:
    """What processing made of a batch of posts, as Arrow tables: built where the posts were analysed
    (a worker process, maybe) and handed to :func:`store_processed` in one piece."""

    lemmas: pa.Table
    regions: pa.Table

    @classmethod
    def from_rows(cls, lemmas: Sequence[tuple], regions: Sequence[tuple]) -> ProcessedBatch:
        """Rows in the column order of :data:`LEMMA_COLUMNS` and :data:`REGION_COLUMNS`."""
        return cls(_table(lemmas, _LEMMAS), _table(regions, _REGIONS))

    @classmethod
    def concat(cls, parts: Sequence[ProcessedBatch]) -> ProcessedBatch:
        return cls(pa.concat_tables([p.lemmas for p in parts]), pa.concat_tables([p.regions for p in parts]))


def store_processed(con: duckdb.DuckDBPyConnection, batch: ProcessedBatch, now: datetime, *,
                    replace: bool = True, finish: bool = True) -> None:
    """Replace the processing output of these posts in one transaction (text regions, language, lemmas).
    ``replace=False``: none of them was processed before, so there is nothing to delete (deleting scans the
    whole of post_lemmas and post_regions; a post stored twice would still fail on their primary keys).
    ``finish=False`` leaves the regions from source and import and ``posts.lang`` to one
    :func:`finish_processing` after many batches: each looks at every processed post."""
    con.register("_lemmas", batch.lemmas)
    con.register("_regions", batch.regions)
    try:
        with transaction(con):
            if replace:
                con.execute("DELETE FROM post_lemmas WHERE post_uid IN (SELECT post_uid FROM _lemmas)")
            con.execute(
                """INSERT INTO post_lemmas (post_uid, content_hash, lang, lemmas, tokens, content_tokens,
                                            hashtags, mentions, urls, emoji, processed_at)
                   SELECT post_uid, content_hash, lang, lemmas, tokens, content_tokens, hashtags, mentions, urls,
                          emoji, $now FROM _lemmas""",
                {"now": now},
            )
            if replace:
                con.execute("DELETE FROM post_regions WHERE post_uid IN (SELECT post_uid FROM _lemmas)")
            con.execute("INSERT INTO post_regions SELECT post_uid, region_code, 'text', confidence, evidence FROM _regions")
            if finish:
                finish_processing(con)
    finally:
        con.unregister("_lemmas")
        con.unregister("_regions")


def finish_processing(con: duckdb.DuckDBPyConnection) -> None:
    """What every processed post takes from the warehouse rather than from its analysis: its regions from its
    source and its import, and ``posts.lang``; for the posts that lack them (after a run's batches, or after a
    run killed before this: the next run completes it)."""
    with transaction(con):
        con.execute(query("processed_post_regions"))
        con.execute(query("processed_post_langs"))


def lemma_lists(con: duckdb.DuckDBPyConnection, lang: str) -> tuple[pa.Array, pa.ListArray]:
    """Post ids and lemma lists of one language as Arrow arrays, for training and applying the phrase model
    (the lists stay in Arrow: no Python list is built per post). In storage order: what the model learns
    does not depend on the order of the posts."""
    table = con.execute("SELECT post_uid, lemmas FROM post_lemmas WHERE lang = ?", [lang]).to_arrow_table()
    return table.column("post_uid").combine_chunks(), table.column("lemmas").combine_chunks()


def lemma_state(con: duckdb.DuckDBPyConnection, lang: str) -> str:
    """What the phrases of a language are built from: its processed posts' count and latest processing time.
    Processing a post, again or anew, changes it; so does a post changing language."""
    n, latest = con.execute("SELECT count(*), max(processed_at) FROM post_lemmas WHERE lang = ?", [lang]).fetchone()
    return f"{n} posts, last processed {latest.isoformat() if latest else 'never'}"


def phrases_state(con: duckdb.DuckDBPyConnection, lang: str) -> str | None:
    """The :func:`lemma_state` the stored phrases of a language were built from (None: never built)."""
    row = con.execute("SELECT value FROM warehouse_meta WHERE key = ?", [_PHRASES_KEY.format(lang=lang)]).fetchone()
    return row[0] if row else None


def store_phrases(con: duckdb.DuckDBPyConnection, lang: str, post_uids: pa.Array, phrases: pa.ListArray,
                  state: str) -> None:
    """Replace every post's phrases of one language (after the language's model was retrained), and record the
    lemma ``state`` they were built from, in one transaction; ``phrases`` holds each post's list, empty where it
    has none."""
    con.register("_phrases", pa.table({"post_uid": post_uids, "phrases": phrases}))
    try:
        with transaction(con):
            con.execute("DELETE FROM post_phrases WHERE lang = ?", [lang])
            con.execute("INSERT INTO post_phrases SELECT post_uid, ?, phrases FROM _phrases WHERE len(phrases) > 0",
                        [lang])
            con.execute("INSERT OR REPLACE INTO warehouse_meta (key, value) VALUES (?, ?)",
                        [_PHRASES_KEY.format(lang=lang), state])
    finally:
        con.unregister("_phrases")
