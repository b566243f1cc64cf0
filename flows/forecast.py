"""The forecast step: the region × vote panel, the panel effects of themes on turnout, forecasts of the next vote
of each kind chosen by backtest, and what-if scenarios; one run recorded in ``analysis_runs``."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from qatysu.flows.config import ForecastConfig
from qatysu.flows.provenance import recorded_run
from qatysu.models.forecast import (
    BASELINE,
    CANDIDATES,
    CURRENT,
    Candidate,
    backtest,
    calibration,
    choose,
    intervals,
    national,
    panel_candidate,
)
from qatysu.flows.markers import lexicon_of
from qatysu.models.lexicon import Lexicon
from qatysu.models.panel import fit_panel_effects
from qatysu.models.scenarios import SHARE, Baseline, Coefficient, apply, default_scenario_file, load_scenarios
from qatysu.warehouse import Warehouse
from qatysu.warehouse.forecast_store import (
    build_panel_posts,
    indicator_weights,
    panel_counts,
    panel_theme_shares,
    require_forecast_tables,
    store_results,
    turnout_panel,
)
from qatysu.warehouse.marker_store import register_lexicon
from qatysu.warehouse.topic_store import latest_topic_model

NATIONAL = "KZ"
CAVEAT = ("Seven national votes, two or three of each kind: every forecast is uncertain and its intervals are "
          "checked against a leave-one-vote-out backtest. Theme effects are associations across regions and votes "
          "(posts in the window before each vote), not causes: a region's posts are not its voters.")


class NothingToForecast(ValueError):
    """No turnout panel to forecast from."""


@dataclass(frozen=True)
class ForecastSummary:
    run_id: str
    kinds: list[str]
    chosen: dict[str, str]  # kind → model
    national: dict[str, tuple[float, float, float]]  # kind → (point, lo95, hi95)
    weighting: str
    effects: int
    effects_found: int
    panel_note: str
    scenarios: list[str] = field(default_factory=list)


def forecast_step(wh: Warehouse, config: ForecastConfig, *, window_days: int,
                  lexicon: Lexicon | None = None) -> ForecastSummary:
    """Build the panel (posts in the ``window_days`` before each vote: the links' window), fit the theme effects,
    backtest the candidates, forecast each kind and apply the scenarios (the shipped file unless the
    configuration names one)."""
    outcome, kinds, min_posts, reps, seed = config.outcome, config.kinds, config.min_posts, config.reps, config.seed
    weight_indicator = config.weight_indicator
    scenario_file = config.scenarios or default_scenario_file()
    what_ifs = load_scenarios(scenario_file)
    lex = lexicon_of(lexicon, ())
    with wh.reader(live=True) as con:
        require_forecast_tables(con)
        model_ids = [m for m in (latest_topic_model(con, lang=lang) for lang in ("ru", "kk", "all")) if m]
    params = {"outcome": outcome, "kinds": list(kinds), "window_days": window_days, "min_posts": min_posts,
              "reps": reps, "seed": seed, "weight_indicator": weight_indicator, "model_ids": model_ids,
              "lexicon_version": lex.version, "scenario_file": str(scenario_file), "caveat": CAVEAT}
    with recorded_run(wh, "forecast", params, ("statsmodels", "scipy", "pandas")) as run:
        with wh.writer(publish=False) as con:
            register_lexicon(con, lex.rows())
            build_panel_posts(con, window_days)
            counts, shares = panel_counts(con), panel_theme_shares(con, model_ids)
            turnout = turnout_panel(con)
            weights = indicator_weights(con, weight_indicator)
        if turnout.empty:
            raise NothingToForecast("no turnout by region for any national vote: run `qatysu init`")
        run_id = run["run_id"]
        effects, panel_note = fit_panel_effects(turnout, counts, shares, min_posts=min_posts, reps=reps, seed=seed)
        regions = sorted(turnout["region_code"].unique())
        candidates = dict(CANDIDATES)
        best = _panel_theme(effects)
        if best:
            theme_shares = shares[shares["theme"] == best].merge(
                counts[counts["posts"] >= min_posts][["vote_id", "region_code"]])
            candidates["panel"] = panel_candidate(theme_shares[["vote_id", "region_code", "share"]])
        rows, errors = backtest(turnout, list(kinds), candidates)
        weighting = (f"regions weighted by {weight_indicator}" if weights
                     else f"unweighted mean of regions ({weight_indicator} not loaded)")
        forecast_rows, baselines, chosen, nat = [], {}, {}, {}
        for kind in kinds:
            chosen[kind] = choose(rows, kind)
            roles = [(chosen[kind], "chosen")] + ([(BASELINE, "baseline")] if chosen[kind] != BASELINE else [])
            for model, role in roles:
                table = _forecast_table(candidates[model], turnout, kind, regions, errors[errors["model"] == model],
                                        weights)
                forecast_rows += [{"run_id": run_id, "outcome": outcome, "kind": kind, "region_code": r,
                                   "model": model, "role": role, **{c: float(v) for c, v in row.items()}}
                                  for r, row in table.iterrows()]
                if role == "chosen":
                    baselines[kind] = _baselines(table)
                    nat[kind] = tuple(float(table.loc[NATIONAL, c]) for c in ("point", "lo95", "hi95"))
        backtest_rows = [{"run_id": run_id, "outcome": outcome, "kind": r.kind, "model": r.model, "mae": r.mae,
                          "coverage80": r.coverage80, "coverage95": r.coverage95, "n": r.n,
                          "chosen": r.kind in chosen and chosen[r.kind] == r.model} for r in rows]
        scenario_rows = _scenarios(run_id, what_ifs, effects, shares, counts, baselines, weights, min_posts)
        panel_rows, theme_rows = _records(run_id, counts), _records(run_id, shares)
        effect_rows = [{"run_id": run_id, **e} for e in effects]
        with wh.writer(publish=False) as con:
            store_results(con, {"region_panel": panel_rows, "region_panel_themes": theme_rows,
                                "panel_effects": effect_rows, "forecasts": forecast_rows,
                                "forecast_backtest": backtest_rows, "scenario_results": scenario_rows})
        found = sum(1 for e in effects if e["q"] is not None and e["q"] <= 0.1)
        run["inputs"] = {"region_votes": len(turnout), "votes": int(turnout["vote_id"].nunique()),
                         "windows_with_posts": int(counts["vote_id"].nunique()),
                         "themes": int(shares["theme"].nunique()),
                         "weighting": weighting}
        run["outputs"] = {"chosen": chosen, "panel_effects": len(effects), "found": found,
                          "panel_theme": best, "panel_note": panel_note, "scenarios": len(what_ifs),
                          "forecasts": len(forecast_rows)}
    return ForecastSummary(run_id, list(kinds), chosen, nat, weighting, len(effects), found, panel_note,
                           [s.name for s in what_ifs])


def _forecast_table(candidate: Candidate, turnout: pd.DataFrame, kind: str, regions: list[str],
                    errors: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Point and 80/95 % intervals per region and for the country (``KZ``), the intervals widened to the model's
    backtest errors on the kind (on every kind when the kind has fewer than 20 held-out region-votes)."""
    pred = candidate(turnout, kind, regions, CURRENT)
    own = errors[errors["kind"] == kind]
    k80, k95 = calibration(own if len(own) >= 20 else errors)
    point, sd = national(pred, weights)
    return pd.concat([intervals(pred.point, pred.sd, k80, k95),
                      intervals(pd.Series({NATIONAL: point}), pd.Series({NATIONAL: sd}), k80, k95)])


def _records(run_id: str, frame: pd.DataFrame) -> list[dict]:
    """Rows to store, missing values as NULL (pandas reads SQL NULL as NaN, which DuckDB would keep as NaN)."""
    return [{"run_id": run_id, **r} for r in frame.astype(object).where(frame.notna(), None).to_dict("records")]


def _panel_theme(effects: list[dict]) -> str | None:
    """The theme share with the smallest p among those with q ≤ 0.1, for the ``panel`` candidate."""
    found = [e for e in effects if e["measure"] == SHARE and e["q"] is not None and e["q"] <= 0.1]
    return min(found, key=lambda e: e["p"])["theme"] if found else None


def _baselines(table: pd.DataFrame) -> dict[str, Baseline]:
    """Point and predictive sd (from the 95 % interval) per region and for the country."""
    return {r: Baseline(float(row["point"]), float(row["hi95"] - row["lo95"]) / (2 * 1.959963984540054))
            for r, row in table.iterrows()}


def _scenarios(run_id: str, what_ifs, effects: list[dict], shares: pd.DataFrame, counts: pd.DataFrame,
               baselines: dict[str, dict[str, Baseline]], weights: dict[str, float], min_posts: int) -> list[dict]:
    coefficients = {(e["theme"], e["measure"]): Coefficient(e["estimate"], e["ci_low"], e["ci_high"])
                    for e in effects if e["estimate"] is not None}
    enough = counts[(counts["vote_id"] == "current") & (counts["posts"] >= min_posts)]["region_code"]
    now = shares[(shares["vote_id"] == "current") & shares["region_code"].isin(set(enough))]
    current = {(t, m, r): float(v) for t, r, s, e in now[["theme", "region_code", "share", "engagement_share"]]
               .itertuples(index=False) for m, v in (("share", s), ("engagement_share", e)) if pd.notna(v)}
    weights = weights or {r: 1.0 for r in next(iter(baselines.values()), {}) if r != NATIONAL}
    rows = []
    for kind, base in baselines.items():
        regional = {r: b for r, b in base.items() if r != NATIONAL}
        for scenario in what_ifs:
            for res in apply(scenario, coefficients, current, regional, weights, base[NATIONAL], NATIONAL):
                rows.append({"run_id": run_id, "kind": kind, **res.__dict__})
    return rows
