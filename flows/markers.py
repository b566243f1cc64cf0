"""The marker step: score words, phrases, lexicon categories and topics by an outcome in each scope — engagement
of posts, or of petitions their signatures per day or whether they reached their threshold — with two methods:
per-post weighted log-odds (one unit at a time) and a post-level model (the candidates together, within sources
or platforms); one Benjamini–Hochberg family per unit kind across all scopes of the run; the run's parameters
and counts go to ``analysis_runs``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import duckdb
import numpy as np

from qatysu.flows.config import MarkersConfig
from qatysu.flows.provenance import recorded_run
from qatysu.models.engagement import ModelError, fit_glm_fe
from qatysu.models.lexicon import Lexicon, load_lexicon
from qatysu.models.markers import (
    DETECTABLE_POWER,
    Q_LEVEL,
    benjamini_hochberg,
    detectable_ratio,
    per_post_log_odds,
    prior_size,
)
from qatysu.warehouse import Warehouse
from qatysu.warehouse.marker_store import (
    Scope,
    engagement_groups,
    model_frame,
    post_units,
    register_lexicon,
    store_rows,
    unit_counts,
)
from qatysu.warehouse.petitions import (
    SIGNATURE_MARKERS_STEP,
    THRESHOLD_MARKERS_STEP,
    has_petition_readings,
    petition_groups,
)
from qatysu.warehouse.topic_store import latest_topic_model

UNIT_KINDS = ("term", "phrase", "category", "topic")
DETECTABLE_SHARE = 0.05  # the detectable effect is quoted for a word in this share of posts
# The engagement model is fitted once per group of kinds: words and phrases together (so that a phrase and its
# words, or two words that travel together, are held fixed against each other), and categories together (each
# category against the others; not against its own words, which would take all of its association away).
# Topics are left out: one main topic a post makes them exclusive, collinear with the source effects.
MODEL_GROUPS = (("term", "phrase"), ("category",))


@dataclass(frozen=True)
class OutcomeModel:
    """How the post-level model of one outcome is specified (see :func:`qatysu.models.engagement.fit_glm_fe`)."""

    frame: str  # the query that gives one row per compared text
    outcome: str
    fixed_effects: tuple[str, ...]
    cluster: str | None  # None: heteroskedasticity-robust errors, each text its own unit
    exposure: str | None
    weights: str | None
    family: Literal["poisson", "logit"] = "poisson"


OUTCOME_MODELS = {
    # interactions ~ candidates | source × basis, log(views) offset, errors clustered by source
    "engagement": OutcomeModel("engagement_model_frame", "interactions", ("source_basis",), "source_id",
                               "log_views", "weight"),
    # signatures ~ candidates | platform, log(days open) offset: a model of signatures per day. Petitions are not
    # nested in a few dozen sources as posts are (two or three platforms), so the errors are HC1.
    "signatures": OutcomeModel("petition_model_frame", "signatures", ("platform",), None, "log_days", "weight"),
    # reached ~ candidates | platform, logistic, among petitions whose signing has closed
    "threshold": OutcomeModel("petition_model_frame", "reached", ("platform",), None, None, None, "logit"),
}


@dataclass(frozen=True)
class MarkersSummary:
    run_id: str
    scored: dict[str, int]  # scope → units scored
    groups: dict[str, dict[str, int]]  # scope → group sizes
    found: dict[str, int]  # scope → units with q ≤ 0.1 (log-odds)
    families: dict[str, int]  # unit kind → tests in its BH family (all scopes)
    modelled: dict[str, int] = field(default_factory=dict)  # scope → candidates the engagement model estimated
    found_glm: dict[str, int] = field(default_factory=dict)  # scope → candidates with q ≤ 0.1 (model)
    model_notes: dict[str, str] = field(default_factory=dict)  # scope → why the model could not be fitted


def lexicon_of(lexicon: Lexicon | None, files: Sequence[Path]) -> Lexicon:
    return lexicon or load_lexicon(files)


def score_markers(
    wh: Warehouse,
    config: MarkersConfig = MarkersConfig(),
    *,
    lexicon: Lexicon | None = None,
    lexicon_files: Sequence[Path] = (),
    model_id: str | None = None,
) -> MarkersSummary:
    """Score every lemma, phrase, lexicon category and (with a topic model) topic in each scope of ``config``."""
    parsed = [Scope.parse(s) for s in config.scopes]
    lex = lexicon_of(lexicon, lexicon_files)
    params = {**config.model_dump(mode="json"), "lexicon_version": lex.version, "lexicon_files": lex.files, "q_level": Q_LEVEL,
              "counting": "per post: posts with the unit vs posts without it, ties split at random",
              "families": "one Benjamini–Hochberg family per unit kind across all scopes of the run"}
    with wh.reader(live=True) as con:
        params["model_id"] = model_id = model_id or latest_topic_model(con)
    with recorded_run(wh, markers_step(config.outcome), params, ("scipy", "pyfixest")) as run:
        rows, groups, frames = [], {}, {}
        with wh.writer(publish=False) as con:
            register_lexicon(con, lex.rows())
            for scope in parsed:
                groups[scope.text] = _groups(con, scope, config)
                post_units(con, model_id=model_id)
                scope_rows = _log_odds_rows(run["run_id"], scope.text, unit_counts(con, min_count=config.min_count),
                                            groups[scope.text], config)
                rows += scope_rows
                if config.glm:
                    for kinds in MODEL_GROUPS:
                        candidates = _candidates(scope_rows, kinds, config.glm_candidates)
                        if candidates:
                            frame = model_frame(con, OUTCOME_MODELS[config.outcome].frame, candidates,
                                                max_posts=config.glm_posts)
                            frames[(scope.text, kinds)] = (candidates, frame.to_pandas())
        families = _adjust(rows, "p", "q")
        effects, notes = _model_rows(run["run_id"], frames, config.outcome)
        scored_per_kind = {kind: families.get(kind, 0) for kind in UNIT_KINDS}
        _adjust(effects, "p", "q", family_sizes=scored_per_kind)
        with wh.writer(publish=False) as con:
            store_rows(con, "marker_scores", rows)
            store_rows(con, "marker_effects", effects)
        scopes = [s.text for s in parsed]
        summary = MarkersSummary(
            run["run_id"],
            scored={s: sum(r["scope"] == s for r in rows) for s in scopes},
            groups=groups,
            found={s: sum(r["scope"] == s and r["q"] <= Q_LEVEL for r in rows) for s in scopes},
            families=families,
            modelled={s: sum(r["scope"] == s for r in effects) for s, _ in frames},
            found_glm={s: sum(r["scope"] == s and r["q"] <= Q_LEVEL for r in effects) for s, _ in frames},
            model_notes=notes,
        )
        alpha = Q_LEVEL / max(families.get("term", 1), 1)  # BH's threshold for a single discovery among the terms
        detectable = {s: detectable_ratio(g["high"], g["low"], DETECTABLE_SHARE, alpha)
                      for s, g in groups.items() if g.get("high") and g.get("low")}
        run["inputs"] = {"groups": groups}
        run["outputs"] = {"scored": summary.scored, "found": summary.found, "families": families,
                          "detectable": {"share": DETECTABLE_SHARE, "alpha": alpha, "power": DETECTABLE_POWER,
                                         "ratio": {s: r if np.isfinite(r) else None for s, r in detectable.items()}},
                          "modelled": summary.modelled, "found_glm": summary.found_glm, "model_notes": notes}
        if not rows:
            run["status"] = "nothing to do"
    return summary


def score_markers_step(wh: Warehouse, params: MarkersConfig) -> list[MarkersSummary]:
    """The pipeline's markers step: the configured outcome and, when it is engagement and the warehouse holds
    petitions with signature readings, the two petition outcomes as well (signatures per day and threshold)."""
    summaries = [score_markers(wh, params)]
    if params.outcome == "engagement":
        with wh.reader(live=True) as con:
            petitions = has_petition_readings(con)
        if petitions:
            summaries += [score_markers(wh, params.model_copy(update={"outcome": outcome}))
                          for outcome in ("signatures", "threshold")]
    return summaries


def markers_step(outcome: str) -> str:
    """The step a markers run is recorded under, so that the report's engagement markers and its petition
    markers each find their own latest run."""
    return {"signatures": SIGNATURE_MARKERS_STEP, "threshold": THRESHOLD_MARKERS_STEP}.get(outcome, "markers")


def _groups(con: duckdb.DuckDBPyConnection, scope: Scope, params: MarkersConfig) -> dict[str, int]:
    """The high and low groups of the scope by the chosen outcome (temporary table ``_groups``), with their sizes."""
    if params.outcome in ("signatures", "threshold"):
        return petition_groups(con, scope.params(), outcome=params.outcome, quantile=params.quantile,
                               min_platform_petitions=params.min_source_posts)
    return engagement_groups(con, scope, quantile=params.quantile, min_source_posts=params.min_source_posts)


def _log_odds_rows(run_id: str, scope: str, counts: list[tuple], sizes: dict[str, int],
                   config: MarkersConfig) -> list[dict]:
    """Per-post log-odds rows of one scope; q is filled in later, over the unit kind's family."""
    n_high, n_low, n_all = sizes.get("high", 0), sizes.get("low", 0), sum(sizes.values())
    if not counts or n_high == 0 or n_low == 0:
        return []
    alpha0 = config.prior_size or prior_size(n_high, n_low, config.prior_share)
    res = per_post_log_odds(np.array([c[3] for c in counts]), np.array([c[4] for c in counts]), n_high, n_low,
                            np.array([c[5] for c in counts]), n_all, alpha0)
    return [{"run_id": run_id, "scope": scope, "outcome": config.outcome, "unit": c[0], "term": c[1], "lang": c[2],
             "delta": float(res.delta[i]), "sigma": float(res.sigma[i]), "z": float(res.z[i]), "p": float(res.p[i]),
             "count_high": int(c[3]), "count_low": int(c[4]), "count_all": int(c[5])} for i, c in enumerate(counts)]


def _adjust(rows: list[dict], p: str, q: str, family_sizes: dict[str, int] | None = None) -> dict[str, int]:
    """Fill ``q`` with BH over one family per unit kind (all scopes together); returns each family's size.
    ``family_sizes`` widens a family to units that were screened out before testing (counted as p = 1)."""
    sizes = {}
    for kind in UNIT_KINDS:
        part = [r for r in rows if r["unit"] == kind]
        if not part:
            continue
        size = max(len(part), (family_sizes or {}).get(kind, 0))
        for r, qi in zip(part, benjamini_hochberg(np.array([r[p] for r in part]), family_size=size)):
            r[q] = float(qi)
        sizes[kind] = size
    return sizes


def _candidates(scope_rows: list[dict], kinds: tuple[str, ...], top: int) -> list[tuple[str, str]]:
    """The engagement model's candidates of ``kinds``: the ``top`` terms and the ``top`` phrases with the largest
    |z|, and every lexicon category scored in the scope."""
    chosen = []
    for kind in kinds:
        part = sorted((r for r in scope_rows if r["unit"] == kind), key=lambda r: -abs(r["z"]))
        chosen += [(r["unit"], r["term"]) for r in (part if kind == "category" else part[:top])]
    return chosen


def _model_rows(run_id: str, frames: dict, outcome: str) -> tuple[list[dict], dict[str, str]]:
    """Fit the outcome's model (:data:`OUTCOME_MODELS`) in each scope and group of kinds. A model that cannot be
    fitted gets a note (scope → reason)."""
    spec = OUTCOME_MODELS[outcome]
    rows, notes = [], {}
    for (scope, kinds), (candidates, frame) in frames.items():
        columns = [f"c{i}" for i in range(len(candidates))]
        try:
            effects = fit_glm_fe(frame, outcome=spec.outcome, candidates=columns, fixed_effects=spec.fixed_effects,
                                 cluster=spec.cluster, exposure=spec.exposure, weights=spec.weights,
                                 family=spec.family)
        except ModelError as exc:
            notes[scope] = "; ".join(filter(None, [notes.get(scope), f"{' and '.join(kinds)}s: {exc}"]))
            continue
        for column, effect in effects.items():
            unit, term = candidates[int(column[1:])]
            rows.append({"run_id": run_id, "scope": scope, "outcome": outcome, "unit": unit, "term": term,
                         "estimate": effect.estimate, "se": effect.se, "ci_low": effect.ci_low,
                         "ci_high": effect.ci_high, "p": effect.p, "posts": int(frame[column].sum())})
    return rows, notes
