"""The marker step: score words, phrases, lexicon categories and topics by engagement in each scope; the run's
parameters and counts go to ``analysis_runs``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from qatysu.flows.provenance import recorded_run
from qatysu.models.lexicon import Lexicon, load_lexicon
from qatysu.models.links import Q_LEVEL
from qatysu.flows.config import MarkersConfig
from qatysu.models.markers import informative_prior, weighted_log_odds
from qatysu.warehouse import Warehouse
from qatysu.warehouse.marker_store import (
    Scope,
    engagement_groups,
    register_lexicon,
    store_rows,
    unit_counts,
)
from qatysu.warehouse.petitions import SIGNATURE_MARKERS_STEP, has_petition_readings, petition_groups
from qatysu.warehouse.topic_store import latest_topic_model


@dataclass(frozen=True)
class MarkersSummary:
    run_id: str
    scored: dict[str, int]  # scope → units scored
    groups: dict[str, dict[str, int]]  # scope → group sizes
    found: dict[str, int]  # scope → units with q ≤ Q_LEVEL


def lexicon_of(lexicon: Lexicon | None, files: Sequence[Path]) -> Lexicon:
    return lexicon or load_lexicon(files)


def score_markers(
    wh: Warehouse,
    params: MarkersConfig,
    *,
    lexicon: Lexicon | None = None,
    lexicon_files: Sequence[Path] = (),
    model_id: str | None = None,
) -> MarkersSummary:
    """Score every lemma, phrase, lexicon category and (with a model) topic in each scope."""
    parsed = [Scope.parse(s) for s in params.scopes]
    lex = lexicon_of(lexicon, lexicon_files)
    with wh.reader(live=True) as con:
        model_id = model_id or latest_topic_model(con)
    recorded = {**params.model_dump(mode="json"), "lexicon_version": lex.version, "lexicon_files": lex.files,
                "counting": "presence (once per post)", "model_id": model_id}
    with recorded_run(wh, markers_step(params.outcome), recorded, ("scipy",)) as run:
        counts, groups = {}, {}
        with wh.writer(publish=False) as con:
            register_lexicon(con, lex.rows())
            for scope in parsed:
                groups[scope.text] = _groups(con, scope, params)
                counts[scope.text] = unit_counts(con, model_id=model_id, min_count=params.min_count)
        run["inputs"] = {"groups": groups}
        rows = [{**row, "outcome": params.outcome} for scope, scope_counts in counts.items()
                for row in _scored_rows(run["run_id"], scope, scope_counts, params.prior_size)]
        with wh.writer(publish=False) as con:
            store_rows(con, "marker_scores", rows)
        scored = {s: sum(r["scope"] == s for r in rows) for s in counts}
        found = {s: sum(r["scope"] == s and r["q"] <= Q_LEVEL for r in rows) for s in counts}
        run["outputs"] = {"scored": scored, "found": found}
        if not rows:
            run["status"] = "nothing to do"
    return MarkersSummary(run["run_id"], scored, groups, found)


def score_markers_step(wh: Warehouse, params: MarkersConfig) -> list[MarkersSummary]:
    """The pipeline's markers step: the configured outcome and, when it is engagement and the warehouse holds
    petitions with signature readings, signatures as well (the report shows both)."""
    summaries = [score_markers(wh, params)]
    if params.outcome == "engagement":
        with wh.reader(live=True) as con:
            petitions = has_petition_readings(con)
        if petitions:
            summaries.append(score_markers(wh, params.model_copy(update={"outcome": "signatures"})))
    return summaries


def markers_step(outcome: str) -> str:
    """The step a markers run is recorded under, so that the report's engagement markers and its petition
    markers each find their own latest run."""
    return SIGNATURE_MARKERS_STEP if outcome == "signatures" else "markers"


def _groups(con: duckdb.DuckDBPyConnection, scope: Scope, params: MarkersConfig) -> dict[str, int]:
    """The high and low groups of the scope by the chosen outcome (temporary table ``_groups``), with their sizes."""
    if params.outcome == "signatures":
        return petition_groups(con, scope.params(), quantile=params.quantile,
                               min_platform_petitions=params.min_source_posts)
    return engagement_groups(con, scope, quantile=params.quantile, min_source_posts=params.min_source_posts)


def _scored_rows(run_id: str, scope: str, counts: list[tuple], prior_size: float) -> list[dict]:
    """Log-odds rows of one scope, each unit kind (term, category, topic) scored against its own prior."""
    rows = []
    for unit in ("term", "category", "topic"):
        part = [c for c in counts if c[0] == unit]
        high = np.array([c[3] for c in part])
        low = np.array([c[4] for c in part])
        if not part or high.sum() == 0 or low.sum() == 0:
            continue
        res = weighted_log_odds(high, low, informative_prior(np.array([c[5] for c in part]), prior_size))
        rows += [{"run_id": run_id, "scope": scope, "unit": unit, "term": c[1], "lang": c[2],
                  "delta": float(res.delta[i]), "sigma": float(res.sigma[i]), "z": float(res.z[i]),
                  "p": float(res.p[i]), "q": float(res.q[i]), "count_high": int(c[3]), "count_low": int(c[4]),
                  "count_all": int(c[5])} for i, c in enumerate(part)]
    return rows
