"""SQL of the forecast step: the region × vote panel (windows of posts before each vote, their counts and
theme shares, turnout on the current map), national weights, and storing the results of a run."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from qatysu.warehouse.queries import query
from qatysu.warehouse.report_queries import latest_completed_run
from qatysu.warehouse.store import WarehouseError, transaction

RESULT_TABLES = ("region_panel", "region_panel_themes", "panel_effects", "forecasts", "forecast_backtest",
                 "scenario_results")


def require_forecast_tables(con: duckdb.DuckDBPyConnection) -> None:
    """A warehouse created before the forecast tables existed is upgraded by ``qatysu init``; say so."""
    if not con.execute(query("forecast_tables_exist")).fetchone():
        raise WarehouseError("this warehouse predates the forecast tables: `qatysu init` upgrades it")


def build_panel_posts(con: duckdb.DuckDBPyConnection, window_days: int) -> None:
    """Temporary tables ``_vote_windows`` (one window before each vote, and the current one) and
    ``_panel_posts`` (processed posts of each window, per region they are attributed to)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _vote_windows AS {query('vote_windows')}",
                {"window_days": window_days})
    con.execute(f"CREATE OR REPLACE TEMP TABLE _panel_posts AS {query('panel_window_posts')}")


def panel_counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """vote_id, region_code, window_start, window_end, posts, engagement over ``_panel_posts``."""
    return con.execute(query("panel_counts")).df()


def panel_theme_shares(con: duckdb.DuckDBPyConnection, model_ids: Sequence[str]) -> pd.DataFrame:
    """vote_id, region_code, theme, share, engagement_share (percent) over ``_panel_posts``; lexicon categories
    need ``_post_categories`` (``marker_store.register_lexicon``)."""
    return con.execute(query("panel_theme_shares"), {"models": list(model_ids)}).df()


def turnout_panel(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """region_code, vote_id, kind, vote_date, turnout, carried, cluster for every national vote."""
    return con.execute(query("turnout_panel")).df()


def indicator_weights(con: duckdb.DuckDBPyConnection, indicator: str) -> dict[str, float]:
    return dict(con.execute(query("indicator_weights"), {"indicator": indicator}).fetchall())


def store_results(con: duckdb.DuckDBPyConnection, tables: dict[str, Sequence[dict[str, Any]]]) -> None:
    """Append a run's rows to the forecast tables, all in one transaction (nothing half-written)."""
    unknown = set(tables) - set(RESULT_TABLES)
    if unknown:
        raise ValueError(f"not a forecast table: {', '.join(sorted(unknown))}")
    with transaction(con):
        for table, rows in tables.items():
            if not rows:
                continue
            con.register("_rows", pa.Table.from_pylist(list(rows)))
            try:
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _rows")
            finally:
                con.unregister("_rows")


def forecast_report_tables(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The latest completed forecast run's tables for the report (empty frames when there is none)."""
    run = {"run": latest_completed_run(con, "forecast")}
    tables = {name: con.execute(query(f"report_{name}"), run).df()
              for name in ("forecast_run", "forecasts", "forecast_backtest", "panel_effects", "scenario_results")}
    return {**tables, "forecast_panel": con.execute(query("report_forecast_panel")).df()}
