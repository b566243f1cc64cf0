"""``qatysu topics effects``: how topic prevalence varies with region, month, kind of source and language."""

from __future__ import annotations

from typing import Annotated

import typer

from qatysu.flows.config import TopicEffectsConfig, default
from qatysu.output import DbOption, console, param_help, print_rows
from qatysu.warehouse import Warehouse
from qatysu.warehouse.queries import run_query


def effects_command(
    model_id: Annotated[str, typer.Argument(help="A model id from `qatysu topics list`.")],
    covariates: Annotated[str, typer.Option(help="Comma-separated: " + param_help(TopicEffectsConfig, "covariates"))]
    = ",".join(default(TopicEffectsConfig, "covariates")),
    draws: Annotated[int, typer.Option(min=1, help=param_help(TopicEffectsConfig, "draws"))]
    = default(TopicEffectsConfig, "draws"),
    seed: Annotated[int, typer.Option(help=param_help(TopicEffectsConfig, "seed"))] = default(TopicEffectsConfig, "seed"),
    db: DbOption = None,
) -> None:
    """Estimate how each topic's share varies with the covariates, carrying the uncertainty of the posts' topic
    proportions (STM's method of composition) → topic_effects. Associations, not effects."""
    from qatysu.flows.topic_effects import estimate_topic_effects

    chosen = [c.strip() for c in covariates.split(",") if c.strip()]
    with console.status("estimating topic effects…"):
        summary = estimate_topic_effects(Warehouse.at(db), model_id, covariates=chosen, draws=draws, seed=seed)
    console.print(f"[green]Estimated[/green] {summary.terms} coefficients per topic over {summary.n_docs} posts "
                  f"({summary.draws} draws); {summary.found} intervals leave out 0 (run {summary.run_id})",
                  highlight=False)
    with Warehouse.at(db).reader() as con:
        columns, rows = run_query(con, "clear_topic_effects", {"run": summary.run_id, "top": 20})
    print_rows(columns, rows, "table", title="largest differences in topic share (95% interval leaves out 0)")
