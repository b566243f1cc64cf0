"""Reading the covariates of modelled posts and storing topic effects."""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa

from qatysu.warehouse.queries import query
from qatysu.warehouse.store import transaction

COVARIATES = ("region", "month", "source_kind", "lang", "platform")


def effect_covariates(con: duckdb.DuckDBPyConnection, model_id: str) -> pd.DataFrame:
    """One row per post the model modelled (post_uid order) with its covariates (see the query's header)."""
    return con.execute(query("topic_effect_covariates"), {"model": model_id}).df()


def main_topics(con: duckdb.DuckDBPyConnection, model_id: str) -> dict[str, int]:
    """post_uid → main topic, for models that give no posterior over a post's topics (BERTopic)."""
    return dict(con.execute("SELECT post_uid, topic_id FROM doc_topics WHERE model_id = ? AND is_main",
                            [model_id]).fetchall())


def store_effects(con: duckdb.DuckDBPyConnection, run_id: str, model_id: str, effects: pd.DataFrame,
                  n_docs: int, draws: int) -> None:
    """Append one run's estimates (columns as ``topic_effects``) in one transaction."""
    data = pa.Table.from_pandas(effects.assign(run_id=run_id, model_id=model_id, n_docs=n_docs, draws=draws),
                                preserve_index=False)
    con.register("_effects", data)
    try:
        with transaction(con):
            con.execute("INSERT INTO topic_effects BY NAME SELECT * FROM _effects")
    finally:
        con.unregister("_effects")
