"""``qatysu forecast``: forecasts of turnout by region with their backtest, theme effects and scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from qatysu.flows.config import VOTE_KINDS, ForecastConfig, LinkConfig, default
from qatysu.output import DbOption, console, err, invalid, param_help, print_query
from qatysu.warehouse import Warehouse


def forecast_command(
    outcome: Annotated[str, typer.Option(help=param_help(ForecastConfig, "outcome"))]
    = default(ForecastConfig, "outcome"),
    kind: Annotated[str, typer.Option(help=f"{', '.join(VOTE_KINDS)} or all: the next vote of that kind.")] = "all",
    scenarios: Annotated[Path | None, typer.Option(exists=True, dir_okay=False,
                                                   help=param_help(ForecastConfig, "scenarios"))]
    = default(ForecastConfig, "scenarios"),
    db: DbOption = None,
) -> None:
    """Turnout for the next vote of each kind, per region and for the country, with 80 % and 95 % prediction
    intervals: the model with the lowest leave-one-vote-out error, beside the naive last value; the panel
    effects of themes (posts in the window before each vote); and what-if scenarios."""
    from qatysu.flows.forecast import CAVEAT, forecast_step
    from qatysu.models.scenarios import ScenarioError

    try:
        config = ForecastConfig(outcome=outcome, kinds=list(VOTE_KINDS) if kind == "all" else [kind],
                                scenarios=scenarios)
    except ValidationError as exc:
        raise typer.BadParameter(invalid(exc))
    try:
        with console.status("forecasting…"):
            summary = forecast_step(Warehouse.at(db), config, window_days=default(LinkConfig, "window_days"))
    except (ScenarioError, ValueError) as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(1)
    print_query(db, "forecast_backtest_of_run", params={"run": summary.run_id},
                title="leave-one-vote-out backtest (last_value: the naive baseline)")
    for k, (point, low, high) in summary.national.items():
        console.print(f"next {k} vote: national turnout {point:.1f} % (95 %: {low:.1f}–{high:.1f}) by "
                      f"{summary.chosen[k]}", highlight=False)
    console.print(f"national figures: {summary.weighting}", highlight=False)
    console.print(f"panel: {summary.panel_note}; {summary.effects_found} of {summary.effects} theme effects with "
                  f"q ≤ 0.1", highlight=False)
    console.print(f"scenarios: {', '.join(summary.scenarios)}", highlight=False)
    console.print(f"run {summary.run_id}; tables forecasts, forecast_backtest, panel_effects, scenario_results; "
                  "view v_region_panel", highlight=False)
    console.print(CAVEAT, highlight=False)
