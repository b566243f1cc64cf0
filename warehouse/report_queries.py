"""The tables a report is made of, read from the warehouse as pandas frames (small: aggregates only)."""

from __future__ import annotations

import json
from collections.abc import Sequence

import duckdb
import pandas as pd

from qatysu.warehouse.petitions import SIGNATURE_MARKERS_STEP, petition_report_tables
from qatysu.warehouse.queries import query

DEMO_META_KEY = "demo_corpus"
# the report's stable tables of posts, each a documented view v_report_<name> (migration 0007)
POST_VIEWS = ("posts_by_platform", "posts_by_language", "posts_by_month", "posts_by_source_kind", "posts_by_region",
              "posts_by_source")  # the last one, and posts_by_month's coverage, from migration 0011
WORDS_PER_CELL = 300  # posts of a topic and month whose words rank that month's words (topic_words_by_month)


def _frame(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> pd.DataFrame:
    return con.execute(query(name), params or {}).df()


def _view(con: duckdb.DuckDBPyConnection, view: str) -> pd.DataFrame:
    return con.execute(f"SELECT * FROM {view}").df()


def report_models(con: duckdb.DuckDBPyConnection, model_id: str | None) -> list[str]:
    """The model asked for, or the latest model of each method and language (an LDA and a BERTopic model of the
    same posts are both reported)."""
    if model_id:
        if not con.execute(query("topic_model_exists"), {"model": model_id}).fetchone():
            raise ValueError(f"no topic model {model_id!r}; `qatysu topics list` shows the fitted ones")
        return [model_id]
    return [r[0] for r in con.execute(query("latest_models_per_method_and_language")).fetchall()]


def latest_completed_run(con: duckdb.DuckDBPyConnection, step: str) -> str | None:
    """The id of the latest completed run of ``step``, if any."""
    row = con.execute(query("latest_completed_run"), {"step": step}).fetchone()
    return row[0] if row else None


def report_tables(con: duckdb.DuckDBPyConnection, model_ids: Sequence[str], *, q_level: float, asked: bool = False
                  ) -> dict[str, pd.DataFrame]:
    """Every table of the report, keyed by the name it gets as a sheet, CSV file and section: the stable ones
    from the ``v_report_*`` views, those of the chosen models and latest runs from named queries; a marker is
    a finding at q ≤ ``q_level``. ``asked``: one model was asked for by id (the others are then left out for
    that reason)."""
    models = {"models": list(model_ids)}
    markers_run = {"run": latest_completed_run(con, "markers"), "q_level": q_level}
    link_run = {"run": latest_completed_run(con, "link")}
    return {
        **{name: _view(con, f"v_report_{name}") for name in POST_VIEWS},
        "topic_models": _frame(con, "report_topic_models", models),
        "topic_coherence": _frame(con, "report_topic_coherence", models),
        "topics": _frame(con, "report_topics", models),
        "topics_by_month": _frame(con, "report_topics_by_month", models),
        "topics_by_region": _frame(con, "report_topics_by_region", models),
        "markers": _frame(con, "report_markers", markers_run),
        "markers_compared": _frame(con, "markers_compared", markers_run),
        "marker_groups": _frame(con, "marker_groups", {"run": markers_run["run"]}),
        "theme_links": _frame(con, "report_theme_links", link_run),
        "links_not_tested": _frame(con, "links_not_tested", link_run),
        "region_theme_rates": _frame(con, "report_region_theme_rates", link_run),
        "topic_words_by_month": _frame(con, "report_topic_words_by_month", {**models, "per_cell": WORDS_PER_CELL}),
        "topics_by_region_month": _frame(con, "report_topics_by_region_month", models),
        "topic_effects": _frame(con, "report_topic_effects", models),
        "models_left_out": _frame(con, "report_models_left_out", {**models, "asked": asked}),
        "indicators": _frame(con, "report_indicators", link_run),
        "runs": _view(con, "v_report_runs"),
        **petition_report_tables(con, latest_completed_run(con, SIGNATURE_MARKERS_STEP), q_level),
    }


def demo_description(con: duckdb.DuckDBPyConnection) -> dict | None:
    """What the demo corpus is and which effects were planted, when the warehouse holds one."""
    row = con.execute(query("warehouse_meta_value"), {"key": DEMO_META_KEY}).fetchone()
    return json.loads(row[0]) if row else None


def set_demo_description(con: duckdb.DuckDBPyConnection, description: dict) -> None:
    con.execute(query("set_warehouse_meta_value"),
                {"key": DEMO_META_KEY, "value": json.dumps(description, ensure_ascii=False)})
