"""``qatysu topics``: fit, list and show topic models."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from qatysu.flows.config import TopicsConfig, default
from qatysu.output import (
    DbOption,
    FormatOption,
    LexiconOption,
    LiveOption,
    console,
    err,
    invalid,
    lexicon_or_exit,
    param_help,
    print_rows,
)
from qatysu.warehouse import Warehouse
from qatysu.warehouse.topic_store import CorpusFilter, list_topic_models, topic_model_info, topics_with_examples

topics_app = typer.Typer(help="Topic models (gensim LDA, offline BERTopic) over lemmas and phrases.",
                         no_args_is_help=True)


def _grid(value: str) -> list[int]:
    try:
        return [int(k) for k in value.split(",") if k.strip()]
    except ValueError:
        raise typer.BadParameter(f"--k-grid takes numbers separated by commas, e.g. 5,10,15,20 (got {value!r})")


@topics_app.command("fit")
def topics_fit(
    method: Annotated[list[str], typer.Option(help=param_help(TopicsConfig, "methods") + " Repeatable.")]
    = default(TopicsConfig, "methods"),
    k: Annotated[int | None, typer.Option("--k", min=2, help=param_help(TopicsConfig, "k"))] = None,
    k_grid: Annotated[str, typer.Option(help=param_help(TopicsConfig, "k_grid"))]
    = ",".join(map(str, default(TopicsConfig, "k_grid"))),
    lang: Annotated[list[str], typer.Option(help="ru, kk or all. " + param_help(TopicsConfig, "langs")
                                                 + " Repeatable.")] = default(TopicsConfig, "langs"),
    since: Annotated[datetime | None, typer.Option(help="Only posts published since this date.")] = None,
    until: Annotated[datetime | None, typer.Option(help="Only posts published before this date.")] = None,
    platform: Annotated[list[str] | None, typer.Option(help="Only these platforms (repeatable).")] = None,
    source: Annotated[list[str] | None, typer.Option(help="Only these sources, e.g. telegram:tengrinews.")] = None,
    seed: Annotated[int, typer.Option(help=param_help(TopicsConfig, "seed"))] = default(TopicsConfig, "seed"),
    workers: Annotated[int, typer.Option(min=1, help=param_help(TopicsConfig, "workers"))]
    = default(TopicsConfig, "workers"),
    guided: Annotated[bool, typer.Option(help=param_help(TopicsConfig, "guided"))] = default(TopicsConfig, "guided"),
    fit_sample: Annotated[int, typer.Option(min=50, help=param_help(TopicsConfig, "fit_sample"))]
    = default(TopicsConfig, "fit_sample"),
    coherence_sample: Annotated[int, typer.Option(min=50, help=param_help(TopicsConfig, "coherence_sample"))]
    = default(TopicsConfig, "coherence_sample"),
    lexicon: LexiconOption = None,
    db: DbOption = None,
) -> None:
    """Fit topic models on processed posts (one per method and language), save them beside the warehouse and
    register them."""
    from pydantic import ValidationError

    from qatysu.flows.topics import topics_step

    if (guided or lexicon) and method != ["bertopic"]:
        raise typer.BadParameter("--guided and --lexicon guide BERTopic; LDA is not guided (use --method bertopic)")
    try:
        params = TopicsConfig(methods=method, langs=lang, k=k, k_grid=_grid(k_grid), seed=seed, workers=workers,
                              guided=guided, fit_sample=fit_sample, coherence_sample=coherence_sample)
    except ValidationError as exc:
        raise typer.BadParameter(invalid(exc))
    corpus = CorpusFilter(since=since, until=until, platforms=tuple(platform or ()), sources=tuple(source or ()))
    with console.status(f"fitting {', '.join(method)} on {', '.join(lang)} posts…"):
        summary = topics_step(Warehouse.at(db), params, corpus=corpus,
                              lexicon=lexicon_or_exit(lexicon) if guided else None)
    for what, why in summary.skipped.items():
        err.print(f"{what}: nothing to do: {why}", markup=False)
    for fit in summary.fitted:
        cv = "n/a" if fit.coherence_cv is None else f"{fit.coherence_cv:.3f}"
        console.print(f"[green]Fitted[/green] {fit.model_id}: {fit.k} topics over {fit.n_docs} posts"
                      f"{'' if fit.n_fit == fit.n_docs else f' (fitted on {fit.n_fit}, the others assigned)'}, "
                      f"C_v {cv}; saved in {fit.path}", highlight=False)
    if not summary.fitted:
        raise typer.Exit(1)


@topics_app.command("list")
def topics_list(db: DbOption = None, live: LiveOption = False, fmt: FormatOption = "table") -> None:
    """List the fitted topic models, newest first."""
    with Warehouse.at(db).reader(live=live) as con:
        columns, rows = list_topic_models(con)
    print_rows(columns, rows, fmt)


@topics_app.command("show")
def topics_show(
    model_id: Annotated[str, typer.Argument(help="A model id from `qatysu topics list`.")],
    examples: Annotated[int, typer.Option(help="Example posts per topic.")] = 3,
    db: DbOption = None,
    live: LiveOption = False,
    fmt: FormatOption = "table",
) -> None:
    """Topics of a model: label, size, top terms and example posts."""
    with Warehouse.at(db).reader(live=live) as con:
        info = topic_model_info(con, model_id)
        if info is None:
            err.print(f"error: no topic model {model_id!r}; `qatysu topics list` shows the fitted ones", markup=False)
            raise typer.Exit(1)
        topics = topics_with_examples(con, model_id)
    if fmt != "table":
        print_rows(["topic_id", "label", "size", "top_terms", "examples"],
                   [(t["topic_id"], t["label"], t["size"], t["top_terms"], t["example_texts"][:examples])
                    for t in topics], fmt)
        return
    console.print(f"[bold]{model_id}[/bold] — {info['method']}, {info['lang']}, {info['k']} topics over "
                  f"{info['n_docs']} posts, C_v {info['coherence_cv'] or float('nan'):.3f}", highlight=False)
    for t in topics:
        console.print(f"\n[bold]{t['topic_id']:>3}[/bold]  {t['label']}  [dim]({t['size']} posts)[/dim]",
                      highlight=False)
        console.print("     " + ", ".join(t["top_terms"][:12]), highlight=False)
        for text in t["example_texts"][:examples]:
            one_line = " ".join(text.split())
            console.print(f"     [dim]›[/dim] {one_line[:160]}{'…' if len(one_line) > 160 else ''}", highlight=False)
