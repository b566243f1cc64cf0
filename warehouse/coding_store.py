"""Coding samples and hand-coded posts: the frame a sample is drawn from, the draw, and ``post_codes``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import duckdb
import pyarrow as pa

from qatysu.warehouse.queries import query
from qatysu.warehouse.store import transaction

STRATA = ("region", "source", "topic", "month")


def sample_frame(con: duckdb.DuckDBPyConnection, *, stratify: str | None, model_id: str | None,
                 topic_id: int | None, category: str | None, seed: int) -> dict[str, int]:
    """Build the temporary table ``_sample_frame`` and return the size of each stratum. ``category`` needs
    ``_post_categories`` (``marker_store.register_lexicon``)."""
    if category is None:
        con.execute("CREATE TEMP TABLE IF NOT EXISTS _post_categories (post_uid VARCHAR, category VARCHAR)")
    con.execute(query("sample_frame"), {"stratify": stratify, "model": model_id, "topic": topic_id,
                                        "category": category, "seed": str(seed)})
    return dict(con.execute("SELECT stratum, count(*) FROM _sample_frame GROUP BY 1 ORDER BY 1").fetchall())


def draw_sample(con: duckdb.DuckDBPyConnection, quotas: Mapping[str, int]) -> tuple[list[str], list[tuple]]:
    """The first ``quotas[stratum]`` posts of each stratum in the frame's seeded order, with the stratum's
    sampling weight (its size / posts drawn); (columns, rows)."""
    con.register("_quotas", pa.table({"stratum": list(quotas), "quota": list(quotas.values())}))
    try:
        cursor = con.execute(
            """WITH ranked AS (
                   SELECT f.*, q.quota,
                          row_number() OVER (PARTITION BY f.stratum ORDER BY f.draw, f.post_uid) AS k,
                          count(*) OVER (PARTITION BY f.stratum) AS stratum_posts
                   FROM _sample_frame f JOIN _quotas q USING (stratum)
               )
               SELECT post_uid, stratum, round(stratum_posts / quota, 4) AS weight, url,
                      strftime(published_local, '%Y-%m-%d %H:%M') AS published, source_id, source_kind, lang,
                      region_code, topic_id, topic_label, text
               FROM ranked WHERE k <= quota ORDER BY stratum, k""")
        return [d[0] for d in cursor.description], cursor.fetchall()
    finally:
        con.unregister("_quotas")


def known_posts(con: duckdb.DuckDBPyConnection, post_uids: Sequence[str]) -> set[str]:
    return {r[0] for r in con.execute("SELECT post_uid FROM posts WHERE post_uid IN (SELECT unnest(?))",
                                      [list(post_uids)]).fetchall()}


def store_codes(con: duckdb.DuckDBPyConnection, rows: Sequence[tuple[str, str, str]], *, coder: str, codebook: str,
                file: str, loaded_at: datetime) -> None:
    """Store (post_uid, code, value) rows of one coder in one transaction, replacing what the coder had given
    those posts before."""
    table = pa.table({"post_uid": [r[0] for r in rows], "code": [r[1] for r in rows], "value": [r[2] for r in rows]})
    con.register("_codes", table)
    try:
        with transaction(con):
            con.execute("DELETE FROM post_codes WHERE coder = $coder AND post_uid IN (SELECT post_uid FROM _codes)",
                        {"coder": coder})
            con.execute("""INSERT INTO post_codes
                           SELECT post_uid, $coder, code, value, $codebook, $file, $at FROM _codes""",
                        {"coder": coder, "codebook": codebook, "file": file, "at": loaded_at})
    finally:
        con.unregister("_codes")


def coded_values(con: duckdb.DuckDBPyConnection, code: str) -> list[tuple[str, str, str]]:
    """(post_uid, coder, value) of one code."""
    return con.execute("SELECT post_uid, coder, value FROM post_codes WHERE code = ? ORDER BY ALL", [code]).fetchall()


def flagged_posts(con: duckdb.DuckDBPyConnection, theme: str) -> set[str]:
    """Coded posts that a theme flags: category:<name> (needs ``_post_categories``) or topic:<model>:<id> (the
    post's main topic)."""
    kind, _, rest = theme.partition(":")
    if kind == "category":
        sql, params = ("SELECT post_uid FROM _post_categories WHERE category = ? "
                       "AND post_uid IN (SELECT post_uid FROM post_codes)"), [rest]
    else:
        model, _, topic = rest.rpartition(":")
        sql, params = ("SELECT post_uid FROM doc_topics WHERE model_id = ? AND topic_id = ? AND is_main "
                       "AND post_uid IN (SELECT post_uid FROM post_codes)"), [model, int(topic)]
    return {r[0] for r in con.execute(sql, params).fetchall()}
