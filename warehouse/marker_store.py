"""SQL for marker scores and theme links: scopes, engagement groups, unit counts, regional theme rates,
indicator values by map, and storing results with their run's provenance."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import pyarrow as pa

from qatysu.warehouse.queries import query
from qatysu.warehouse.store import transaction

SCOPE = re.compile(r"^(all|lang:(ru|kk|mixed)|region:KZ-\d\d|period:\d{4}-\d\d|source:\S+)$")


class ScopeError(ValueError):
    pass


@dataclass(frozen=True)
class Scope:
    text: str

    @classmethod
    def parse(cls, text: str) -> Scope:
        if not SCOPE.match(text):
            raise ScopeError(f"unknown scope {text!r}: use all, lang:ru, lang:kk, region:KZ-xx, period:YYYY-MM "
                             "or source:<source_id>")
        return cls(text)

    def params(self) -> dict[str, str]:
        """The scope as the parameters of the queries that select its posts (``engagement_groups.sql``)."""
        kind, _, value = self.text.partition(":")
        return {"scope_kind": kind, "scope_value": value}


def register_lexicon(con: duckdb.DuckDBPyConnection, rows: Sequence[tuple[str, str, str]]) -> None:
    """The lexicon (category, lang, term) as temporary table ``_lexicon`` and the categories of every
    processed post as ``_post_categories`` (multi-word terms must occur in sequence among the lemmas)."""
    con.register("_lexicon_rows", pa.table({"category": [r[0] for r in rows], "lang": [r[1] for r in rows],
                                            "term": [r[2] for r in rows]}))
    con.execute("CREATE OR REPLACE TEMP TABLE _lexicon AS "
                "SELECT DISTINCT category, term, len(string_split(term, ' ')) AS n_words FROM _lexicon_rows")
    con.unregister("_lexicon_rows")
    con.execute(query("post_categories"))


def engagement_groups(con: duckdb.DuckDBPyConnection, scope: Scope, *, quantile: float, min_source_posts: int) -> dict:
    """Temporary table ``_groups(post_uid, grp)`` of the scope's processed posts: grp high or low for the top
    and bottom ``quantile`` of relative engagement within each source (sources with at least
    ``min_source_posts`` posts with counters), mid between; 'no counters' and 'small source' for posts that
    cannot be placed. Every post of the scope is background for the prior. Returns group sizes."""
    con.execute(query("engagement_groups"),
                {**scope.params(), "quantile": quantile, "min_posts": min_source_posts})
    return dict(con.execute(query("engagement_group_sizes")).fetchall())


def post_units(con: duckdb.DuckDBPyConnection, *, model_id: str | None) -> None:
    """Temporary table ``_post_units(post_uid, unit, term)`` of the posts in ``_groups``: every lemma (unit
    term), phrase (phrase), lexicon category and main topic of ``model_id``, once per post."""
    con.execute(query("post_units"), {"model": model_id})


def unit_counts(con: duckdb.DuckDBPyConnection, *, min_count: int) -> list[tuple]:
    """(unit, term, lang, count_high, count_low, count_all) of every unit of ``_post_units`` in at least
    ``min_count`` posts: the posts of each group that contain it."""
    return con.execute(query("unit_counts"), {"min_count": min_count}).fetchall()


def model_frame(con: duckdb.DuckDBPyConnection, frame_query: str, candidates: Sequence[tuple[str, str]], *,
                max_posts: int) -> pa.Table:
    """The posts of ``_groups`` placed in a group (at most ``max_posts`` of them), as the outcome's model takes
    them (one row per post, from ``frame_query``: engagement_model_frame.sql or petition_model_frame.sql), with a
    0/1 column ``c<i>`` per candidate (unit, term)."""
    frame = con.execute(query(frame_query), {"max_posts": max_posts}).to_arrow_table()
    present = con.execute(query("marker_candidate_posts"), {"units": [c[0] for c in candidates],
                                                            "terms": [c[1] for c in candidates]}).fetchall()
    row = {uid: i for i, uid in enumerate(frame.column("post_uid").to_pylist())}
    columns = [[0] * frame.num_rows for _ in candidates]
    for uid, index in present:
        if uid in row:  # posts without counters are in _post_units but not in the model
            columns[index][row[uid]] = 1
    for i, values in enumerate(columns):
        frame = frame.append_column(f"c{i}", pa.array(values, pa.int8()))
    return frame


def store_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict[str, Any]]) -> None:
    """Append result rows (dicts keyed by column) to one of the result tables, in one transaction."""
    if not rows:
        return
    if table not in ("marker_scores", "marker_effects", "theme_links", "region_theme_rates"):
        raise ValueError(table)
    data = pa.Table.from_pylist(list(rows))
    con.register("_rows", data)
    try:
        with transaction(con):
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _rows")
    finally:
        con.unregister("_rows")


def region_theme_rates(con: duckdb.DuckDBPyConnection, model_ids: Iterable[str], boundary_version: str,
                       window_start: date, window_end: date) -> list[tuple]:
    """(theme, region_code, posts, rate) for every lexicon category (share of the region's processed posts that
    contain it) and topic of ``model_ids`` (mean weight over the region's modelled posts), over the posts
    published in [window_start, window_end) (Asia/Almaty days), on the given map; on the pre-2022 map posts of a
    region created in 2022 count in the region it was part of."""
    return con.execute(query("region_theme_rates"), {"models": list(model_ids),
                                                     "pre_2022": boundary_version == "pre-2022-06",
                                                     "window_start": window_start, "window_end": window_end}
                       ).fetchall()


@dataclass(frozen=True)
class IndicatorWindow:
    """The posts an indicator is linked to: those of [start, end), Asia/Almaty days (indicator_windows.sql)."""
    indicator_id: str
    boundary_version: str
    period: str
    is_vote: bool
    start: date
    end: date
    macro_region: bool
    macro_regions: int


def indicator_windows(con: duckdb.DuckDBPyConnection, window_days: int,
                 indicators: Sequence[str] | None = None) -> list[IndicatorWindow]:
    """The window of every indicator (or of those named): the ``window_days`` days before a vote, the period
    itself for indicators of a longer period."""
    rows = con.execute(query("indicator_windows"), {"window_days": window_days,
                                               "names": list(indicators) if indicators else None}).fetchall()
    return [IndicatorWindow(*r) for r in rows]


def indicator_values_by_map(con: duckdb.DuckDBPyConnection, indicators: Sequence[str] | None) -> list[tuple]:
    """(indicator_id, boundary_version, period, {region: value}) of the latest period of each indicator
    (all indicators, or the ones named), on the map it was reported on."""
    rows = con.execute(query("indicator_values_by_map"),
                       {"names": list(indicators) if indicators else None}).fetchall()
    return [(i, b, p, dict(m)) for i, b, p, m in rows]
