"""The marker step: score words, phrases, lexicon categories and topics by engagement in each scope; the run's
parameters and counts go to ``analysis_runs``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qatysu.flows.provenance import recorded_run
from qatysu.models.lexicon import Lexicon, load_lexicon
from qatysu.models.links import Q_LEVEL
from qatysu.models.markers import DEFAULT_PRIOR_SIZE, informative_prior, weighted_log_odds
from qatysu.warehouse import Warehouse
from qatysu.warehouse.marker_store import (
    Scope,
    engagement_groups,
    register_lexicon,
    store_rows,
    unit_counts,
)
from qatysu.warehouse.topic_store import latest_topic_model


@dataclass(frozen=True)
class MarkersSummary:
    run_id: str
    scored: dict[str, int]  # scope → units scored
    groups: dict[str, dict[str, int]]  # scope → group sizes
    found: dict[str, int]  # scope → units with q ≤ 0.1


def lexicon_of(lexicon: Lexicon | None, files: Sequence[Path]) -> Lexicon:
    return lexicon or load_lexicon(files)


def score_markers(
    wh: Warehouse,
    *,
    scopes: Sequence[str] = ("all",),
    lexicon: Lexicon | None = None,
    lexicon_files: Sequence[Path] = (),
    model_id: str | None = None,
    quantile: float = 1 / 3,
    prior_size: float = DEFAULT_PRIOR_SIZE,
    min_count: int = 5,
    min_source_posts: int = 6,
) -> MarkersSummary:
    """Score every lemma, phrase, lexicon category and (with a model) topic in each scope."""
    parsed = [Scope.parse(s) for s in scopes]
    lex = lexicon_of(lexicon, lexicon_files)
    params = {"scopes": list(scopes), "quantile": quantile, "prior_size": prior_size, "min_count": min_count,
              "min_source_posts": min_source_posts, "lexicon_version": lex.version, "lexicon_files": lex.files,
              "counting": "presence (once per post)"}
    with wh.reader(live=True) as con:
        params["model_id"] = model_id = model_id or latest_topic_model(con)
    with recorded_run(wh, "markers", params, ("scipy",)) as run:
        counts, groups = {}, {}
        with wh.writer(publish=False) as con:
            register_lexicon(con, lex.rows())
            for scope in parsed:
                groups[scope.text] = engagement_groups(con, scope, quantile=quantile,
                                                       min_source_posts=min_source_posts)
                counts[scope.text] = unit_counts(con, model_id=model_id, min_count=min_count)
        run["inputs"] = {"groups": groups}
        rows = [row for scope, scope_counts in counts.items()
                for row in _scored_rows(run["run_id"], scope, scope_counts, prior_size)]
        with wh.writer(publish=False) as con:
            store_rows(con, "marker_scores", rows)
        scored = {s: sum(r["scope"] == s for r in rows) for s in counts}
        found = {s: sum(r["scope"] == s and r["q"] <= Q_LEVEL for r in rows) for s in counts}
        run["outputs"] = {"scored": scored, "found": found}
        if not rows:
            run["status"] = "nothing to do"
    return MarkersSummary(run["run_id"], scored, groups, found)


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
