"""SQL for marker scores and theme links: scopes, engagement groups, unit counts, regional theme rates,
indicator values by map, and storing results with their run's provenance."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

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

    def where(self) -> tuple[str, dict[str, Any]]:
        """SQL condition on post_lemmas l and posts p, and its parameters."""
        kind, _, value = self.text.partition(":")
        return {
            "all": ("TRUE", {}),
            "lang": ("l.lang = $scope_value", {"scope_value": value}),
            "region": ("p.post_uid IN (SELECT post_uid FROM v_post_regions WHERE region_code = $scope_value)",
                       {"scope_value": value}),
            "period": ("strftime(timezone('Asia/Almaty', p.published_at), '%Y-%m') = $scope_value",
                       {"scope_value": value}),
            "source": ("p.source_id = $scope_value", {"scope_value": value}),
        }[kind]


def register_lexicon(con: duckdb.DuckDBPyConnection, rows: Sequence[tuple[str, str, str]]) -> None:
    """The lexicon (category, lang, term) as temporary table ``_lexicon`` and the categories of every
    processed post as ``_post_categories`` (multi-word terms must occur in sequence among the lemmas)."""
    con.register("_lexicon_rows", pa.table({"category": [r[0] for r in rows], "lang": [r[1] for r in rows],
                                            "term": [r[2] for r in rows]}))
    con.execute("CREATE OR REPLACE TEMP TABLE _lexicon AS "
                "SELECT DISTINCT category, term, len(string_split(term, ' ')) AS n_words FROM _lexicon_rows")
    con.unregister("_lexicon_rows")
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _post_categories AS
           SELECT DISTINCT w.post_uid, x.category
           FROM (SELECT post_uid, unnest(lemmas) AS term FROM post_lemmas) w
           JOIN _lexicon x ON x.n_words = 1 AND x.term = w.term
           UNION
           SELECT DISTINCT l.post_uid, x.category
           FROM post_lemmas l JOIN _lexicon x
             ON x.n_words > 1 AND contains(' ' || array_to_string(l.lemmas, ' ') || ' ', ' ' || x.term || ' ')""")


def engagement_groups(con: duckdb.DuckDBPyConnection, scope: Scope, *, quantile: float, min_source_posts: int) -> dict:
    """Temporary table ``_groups(post_uid, grp)`` of the scope's processed posts: grp high or low for the top
    and bottom ``quantile`` of relative engagement within each source (sources with at least
    ``min_source_posts`` posts with counters), mid between; 'no counters' and 'small source' for posts that
    cannot be placed. Every post of the scope is background for the prior. Returns group sizes."""
    where, params = scope.where()
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _groups AS
            WITH scoped AS (
                SELECT l.post_uid, l.lang, p.source_id, e.relative
                FROM post_lemmas l JOIN posts p USING (post_uid)
                LEFT JOIN v_post_engagement e USING (post_uid)
                WHERE {where}
            ), ranked AS (
                SELECT *, percent_rank() OVER (PARTITION BY source_id ORDER BY relative) AS pr,
                       count(relative) OVER (PARTITION BY source_id) AS n
                FROM scoped WHERE relative IS NOT NULL
            )
            SELECT s.post_uid, s.lang,
                   CASE WHEN r.post_uid IS NULL THEN 'no counters'
                        WHEN r.n < $min_posts THEN 'small source'
                        WHEN r.pr <= $quantile THEN 'low' WHEN r.pr >= 1 - $quantile THEN 'high'
                        ELSE 'mid' END AS grp
            FROM scoped s LEFT JOIN ranked r USING (post_uid)""",
        {**params, "quantile": quantile, "min_posts": min_source_posts},
    )
    return dict(con.execute("SELECT grp, count(*) FROM _groups GROUP BY 1").fetchall())


def unit_counts(con: duckdb.DuckDBPyConnection, *, model_id: str | None, min_count: int) -> list[tuple]:
    """(unit, term, lang, count_high, count_low, count_all) over ``_groups``: every lemma and phrase, lexicon
    category (``_post_categories``) and main topic of ``model_id``, counted once per post."""
    return con.execute(
        """WITH units AS (  -- only the scope's posts (_groups) are unnested
               SELECT post_uid, 'term' AS unit, unnest(list_distinct(lemmas)) AS term
               FROM post_lemmas SEMI JOIN _groups USING (post_uid)
               UNION ALL
               SELECT post_uid, 'term', unnest(list_distinct(phrases)) FROM post_phrases SEMI JOIN _groups USING (post_uid)
               UNION ALL
               SELECT post_uid, 'category', category FROM _post_categories
               UNION ALL
               SELECT post_uid, 'topic', model_id || ':' || topic_id FROM doc_topics
               WHERE model_id = $model AND is_main
           )
           SELECT u.unit, u.term, mode(g.lang) AS lang,
                  count(*) FILTER (WHERE g.grp = 'high') AS count_high,
                  count(*) FILTER (WHERE g.grp = 'low') AS count_low,
                  count(*) AS count_all
           FROM units u JOIN _groups g USING (post_uid)
           GROUP BY u.unit, u.term
           HAVING count(*) >= $min_count
           ORDER BY u.unit, u.term""",
        {"model": model_id, "min_count": min_count},
    ).fetchall()


def store_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict[str, Any]]) -> None:
    """Append result rows (dicts keyed by column) to one of the result tables, in one transaction."""
    if not rows:
        return
    if table not in ("marker_scores", "theme_links", "region_theme_rates"):
        raise ValueError(table)
    data = pa.Table.from_pylist(list(rows))
    con.register("_rows", data)
    try:
        with transaction(con):
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _rows")
    finally:
        con.unregister("_rows")


def region_theme_rates(con: duckdb.DuckDBPyConnection, model_ids: Iterable[str], boundary_version: str) -> list[tuple]:
    """(theme, region_code, posts, rate) for every lexicon category (share of the region's processed posts that
    contain it) and topic of ``model_ids`` (mean weight over the region's modelled posts), on the given map;
    on the pre-2022 map posts of a region created in 2022 count in the region it was part of."""
    mapping = ("SELECT new_code AS region_code, old_code AS map_code FROM region_crosswalk"
               if boundary_version == "pre-2022-06" else
               "SELECT region_code, region_code AS map_code FROM regions")
    return con.execute(
        f"""WITH mapped AS (
                SELECT DISTINCT r.post_uid, m.map_code FROM v_post_regions r JOIN ({mapping}) m USING (region_code)
            ), family_posts AS (
                SELECT 'category' AS family, post_uid FROM post_lemmas
                UNION ALL
                SELECT DISTINCT model_id, post_uid FROM doc_topics WHERE model_id IN (SELECT unnest($models))
            ), weights AS (
                SELECT 'category' AS family, 'category:' || category AS theme, post_uid, 1.0 AS weight
                FROM _post_categories
                UNION ALL
                SELECT model_id, 'topic:' || model_id || ':' || topic_id, post_uid, weight FROM doc_topics
                WHERE model_id IN (SELECT unnest($models)) AND topic_id >= 0
            ), totals AS (
                SELECT f.family, m.map_code, count(*) AS posts
                FROM family_posts f JOIN mapped m USING (post_uid) GROUP BY ALL
            ), themes AS (
                SELECT DISTINCT family, theme FROM weights
            )
            SELECT th.theme, t.map_code, t.posts, coalesce(sum(w.weight), 0) / t.posts AS rate
            FROM themes th
            JOIN totals t USING (family)
            LEFT JOIN (SELECT w.*, m.map_code FROM weights w JOIN mapped m USING (post_uid)) w
              ON w.theme = th.theme AND w.map_code = t.map_code
            GROUP BY th.theme, t.map_code, t.posts
            ORDER BY 1, 2""",
        {"models": list(model_ids)},
    ).fetchall()


def indicator_values_by_map(con: duckdb.DuckDBPyConnection, indicators: Sequence[str] | None) -> list[tuple]:
    """(indicator_id, boundary_version, period, {region: value}) of the latest period of each indicator
    (all indicators, or the ones named), on the map it was reported on."""
    rows = con.execute(
        """WITH latest AS (
               SELECT indicator_id, max(period_start) AS period_start FROM indicator_values GROUP BY 1
           )
           SELECT v.indicator_id, any_value(v.boundary_version), any_value(v.period),
                  map_from_entries(list({'k': v.region_code, 'v': v.value}))
           FROM indicator_values v JOIN latest USING (indicator_id, period_start)
           WHERE $names IS NULL OR v.indicator_id IN (SELECT unnest($names))
           GROUP BY v.indicator_id ORDER BY v.indicator_id""",
        {"names": list(indicators) if indicators else None},
    ).fetchall()
    return [(i, b, p, dict(m)) for i, b, p, m in rows]
