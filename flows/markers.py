"""The marker and link steps: score units by engagement per scope, and link theme rates by region to
participation indicators; each run's parameters and counts go to ``analysis_runs``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from flows.provenance import recorded_run
from models.lexicon import Lexicon, load_lexicon
from models.links import Q_LEVEL, adjust, link
from models.markers import DEFAULT_PRIOR_SIZE, informative_prior, weighted_log_odds
from warehouse import Warehouse
from warehouse.marker_store import (
    Scope,
    engagement_groups,
    indicator_values_by_map,
    region_theme_rates,
    register_lexicon,
    store_rows,
    unit_counts,
)
from warehouse.topic_store import latest_topic_model

CAVEAT = ("Association across at most 20 regions (17 on the pre-2022 map), not causation: a small sample, "
          "and a region's posts are not its voters.")


@dataclass(frozen=True)
class MarkersSummary:
    run_id: str
    scored: dict[str, int]  # scope → units scored
    groups: dict[str, dict[str, int]]  # scope → group sizes
    found: dict[str, int]  # scope → units with q ≤ 0.1


@dataclass(frozen=True)
class LinkSummary:
    run_id: str
    tests: int
    found: int
    themes: int
    indicators: int


def _lexicon(lexicon: Lexicon | None, files: Sequence[Path]) -> Lexicon:
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
    lex = _lexicon(lexicon, lexicon_files)
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


def link_themes(
    wh: Warehouse,
    *,
    indicators: Sequence[str] | None = None,
    model_ids: Sequence[str] | None = None,
    lexicon: Lexicon | None = None,
    lexicon_files: Sequence[Path] = (),
    min_posts: int = 20,
    n_perm: int = 9999,
    n_boot: int = 2000,
    seed: int = 0,
) -> LinkSummary:
    """Spearman ρ between each theme's regional rate and each indicator, with permutation p, bootstrap CI
    and BH q over all tests; regions with fewer than ``min_posts`` posts are left out."""
    lex = _lexicon(lexicon, lexicon_files)
    with wh.reader(live=True) as con:
        if model_ids is None:
            model_ids = [m for m in (latest_topic_model(con, lang=lang) for lang in ("ru", "kk", "all")) if m]
    params = {"indicators": list(indicators) if indicators else "all", "model_ids": list(model_ids),
              "min_posts": min_posts, "n_perm": n_perm, "n_boot": n_boot, "seed": seed,
              "lexicon_version": lex.version, "q_level": Q_LEVEL, "caveat": CAVEAT}
    with recorded_run(wh, "link", params, ("scipy",)) as run:
        with wh.writer(publish=False) as con:
            register_lexicon(con, lex.rows())
            values = indicator_values_by_map(con, indicators)
            missing = sorted(set(indicators or ()) - {v[0] for v in values})
            if missing:
                raise ValueError(f"no values for indicator(s) {', '.join(missing)}: "
                                 "`qatysu indicators list` shows them")
            rates = {b: region_theme_rates(con, model_ids, b) for b in {v[1] for v in values}}
        rate_rows = [{"run_id": run["run_id"], "theme": t, "boundary_version": boundary, "region_code": r,
                      "posts": n, "rate": rate} for boundary, rows in rates.items() for t, r, n, rate in rows]
        themes = sorted({r["theme"] for r in rate_rows})
        by_theme: dict[tuple[str, str], dict[str, float]] = {}
        for r in rate_rows:
            if r["posts"] >= min_posts:
                by_theme.setdefault((r["theme"], r["boundary_version"]), {})[r["region_code"]] = r["rate"]
        tested = [(boundary, link(theme, indicator, by_theme.get((theme, boundary), {}), by_region,
                                  n_perm=n_perm, n_boot=n_boot, seed=seed))
                  for indicator, boundary, _period, by_region in values for theme in themes]
        adjusted = adjust([lk for _, lk in tested])
        link_rows = [{"run_id": run["run_id"], "theme": lk.theme, "indicator": lk.indicator, "boundary_version": b,
                      "n_regions": lk.n_regions, "rho": lk.rho, "ci_low": lk.ci_low, "ci_high": lk.ci_high,
                      "p": lk.p, "q": lk.q, "direction": lk.direction} for (b, _), lk in zip(tested, adjusted)]
        found = sum(r["direction"] != "no evidence" for r in link_rows)
        with wh.writer(publish=False) as con:
            store_rows(con, "region_theme_rates", rate_rows)
            store_rows(con, "theme_links", link_rows)
        run["inputs"] = {"themes": len(themes), "indicators": len(values)}
        run["outputs"] = {"tests": len(link_rows), "found": found}
        if not link_rows:
            run["status"] = "nothing to do"
    return LinkSummary(run["run_id"], len(link_rows), found, len(themes), len(values))
