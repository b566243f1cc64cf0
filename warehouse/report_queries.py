"""The tables a report is made of, read from the warehouse as pandas frames (small: aggregates only)."""

from __future__ import annotations

import json
from collections.abc import Sequence

import duckdb
import pandas as pd

DEMO_META_KEY = "demo_corpus"


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: dict | list | None = None) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


def report_models(con: duckdb.DuckDBPyConnection, model_id: str | None) -> list[str]:
    """The model asked for, or the latest model of each language."""
    if model_id:
        if not con.execute("SELECT 1 FROM topic_models WHERE model_id = ?", [model_id]).fetchone():
            raise ValueError(f"no topic model {model_id!r}; `qatysu topics list` shows the fitted ones")
        return [model_id]
    return [r[0] for r in con.execute(
        """SELECT arg_max(model_id, created_at) FROM topic_models GROUP BY lang ORDER BY lang""").fetchall()]


def _latest_run(con: duckdb.DuckDBPyConnection, step: str) -> str | None:
    row = con.execute("SELECT run_id FROM analysis_runs WHERE step = ? AND status = 'completed' "
                      "ORDER BY started_at DESC LIMIT 1", [step]).fetchone()
    return row[0] if row else None


def report_tables(con: duckdb.DuckDBPyConnection, model_ids: Sequence[str]) -> dict[str, pd.DataFrame]:
    """Every table of the report, keyed by the name it gets as a sheet, CSV file and section."""
    models = {"models": list(model_ids)}
    markers_run, link_run = {"run": _latest_run(con, "markers")}, {"run": _latest_run(con, "link")}
    return {
        "posts_by_platform": _df(con, "SELECT platform, count(*) AS posts FROM posts GROUP BY 1 ORDER BY 2 DESC"),
        "posts_by_language": _df(con, "SELECT coalesce(lang, 'unprocessed') AS lang, count(*) AS posts FROM posts "
                                      "GROUP BY 1 ORDER BY 2 DESC"),
        "posts_by_month": _df(con, "SELECT month, count(*) AS posts FROM v_posts GROUP BY 1 ORDER BY 1"),
        "posts_by_source_kind": _df(con, "SELECT coalesce(source_kind, 'unknown') AS source_kind, count(*) AS posts "
                                         "FROM v_posts GROUP BY 1 ORDER BY 2 DESC"),
        "posts_by_region": _df(con, """SELECT g.region_code, g.name_en, g.name_ru, count(r.post_uid) AS posts
                                       FROM regions g LEFT JOIN v_post_regions r USING (region_code)
                                       GROUP BY ALL ORDER BY g.region_code"""),
        "topic_models": _df(con, """SELECT model_id, method, lang, k, n_docs, n_terms, coherence_cv, coherence_npmi,
                                           deterministic, params::VARCHAR AS params, created_at
                                    FROM topic_models WHERE model_id IN (SELECT unnest($models))""", models),
        "topic_coherence": _df(con, "SELECT * FROM topic_coherence WHERE model_id IN (SELECT unnest($models)) "
                                    "ORDER BY model_id, k", models),
        "topics": _df(con, """SELECT t.model_id, t.topic_id, t.label, t.size,
                                     array_to_string(t.top_terms[1:10], ', ') AS top_terms,
                                     (SELECT string_agg(left(regexp_replace(p.text, '\\s+', ' ', 'g'), 200), ' ‖ ')
                                      FROM posts p WHERE p.post_uid IN (SELECT unnest(t.examples))) AS examples
                              FROM topics t WHERE t.model_id IN (SELECT unnest($models))
                              ORDER BY t.model_id, t.topic_id = -1, t.size DESC""", models),
        "topics_by_month": _df(con, "SELECT * FROM v_topic_shares_monthly WHERE model_id IN (SELECT unnest($models)) "
                                    "ORDER BY model_id, month, topic_id", models),
        "topics_by_region": _df(con, "SELECT * FROM v_topic_shares_region WHERE model_id IN (SELECT unnest($models)) "
                                     "ORDER BY model_id, region_code, topic_id", models),
        "markers": _df(con, """SELECT scope, unit, term, lang, z, delta, q, count_high, count_low, count_all,
                                      CASE WHEN q <= 0.1 THEN (CASE WHEN z > 0 THEN 'raises' ELSE 'lowers' END)
                                           ELSE 'no evidence' END AS engagement
                               FROM marker_scores WHERE run_id = $run ORDER BY scope, unit, z DESC""", markers_run),
        "theme_links": _df(con, """SELECT theme, indicator, boundary_version, n_regions, rho, ci_low, ci_high, p, q,
                                          direction
                                   FROM theme_links WHERE run_id = $run ORDER BY q NULLS LAST, p""", link_run),
        "region_theme_rates": _df(con, "SELECT * EXCLUDE (run_id) FROM region_theme_rates WHERE run_id = $run "
                                       "ORDER BY theme, boundary_version, region_code", link_run),
        "indicators": _df(con, """SELECT i.indicator_id, i.name, v.region_code, v.period, v.value, v.boundary_version
                                  FROM indicators i JOIN indicator_values v USING (indicator_id)
                                  WHERE i.indicator_id IN (SELECT DISTINCT indicator FROM theme_links
                                                           WHERE run_id = $run)
                                  ORDER BY 1, 3""", link_run),
        "runs": _df(con, """SELECT run_id, step, started_at, finished_at, status, params::VARCHAR AS params,
                                   inputs::VARCHAR AS inputs, outputs::VARCHAR AS outputs, versions::VARCHAR AS versions
                            FROM analysis_runs ORDER BY started_at"""),
    }


def demo_description(con: duckdb.DuckDBPyConnection) -> dict | None:
    """What the demo corpus is and which effects were planted, when the warehouse holds one."""
    row = con.execute("SELECT value FROM warehouse_meta WHERE key = ?", [DEMO_META_KEY]).fetchone()
    return json.loads(row[0]) if row else None


def set_demo_description(con: duckdb.DuckDBPyConnection, description: dict) -> None:
    con.execute("INSERT OR REPLACE INTO warehouse_meta VALUES (?, ?)",
                [DEMO_META_KEY, json.dumps(description, ensure_ascii=False)])
