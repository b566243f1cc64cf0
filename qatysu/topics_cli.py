"""``qatysu topics``: fit, list and show topic models."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from qatysu.output import DbOption, FormatOption, LexiconOption, LiveOption, console, err, lexicon_or_exit, print_rows
from qatysu.warehouse import Warehouse
from qatysu.warehouse.topic_store import CorpusFilter, list_topic_models, topic_model_info, topics_with_examples

topics_app = typer.Typer(help="Topic models (gensim LDA, offline BERTopic) over lemmas and phrases.",
                         no_args_is_help=True)


def _grid(value: str) -> tuple[int, ...]:
    try:
        grid = tuple(sorted({int(k) for k in value.split(",") if k.strip()}))
    except ValueError:
        raise typer.BadParameter(f"--k-grid takes numbers separated by commas, e.g. 5,10,15,20 (got {value!r})")
    if not grid or min(grid) < 2:
        raise typer.BadParameter("--k-grid needs numbers of topics of at least 2")
    return grid


@topics_app.command("fit")
def topics_fit(
    method: Annotated[str, typer.Option(help="lda or bertopic.")] = "lda",
    k: Annotated[int | None, typer.Option("--k", min=2, help="Number of topics (BERTopic: reduce to at most k).")] = None,
    k_grid: Annotated[str, typer.Option(help="LDA: numbers of topics to try; the most coherent (C_v) is kept.")]
    = "5,10,15,20",
    lang: Annotated[str, typer.Option(help="ru, kk, or all (one joint model; topics tend to split by language).")]
    = "ru",
    since: Annotated[datetime | None, typer.Option(help="Only posts published since this date.")] = None,
    until: Annotated[datetime | None, typer.Option(help="Only posts published before this date.")] = None,
    platform: Annotated[list[str] | None, typer.Option(help="Only these platforms (repeatable).")] = None,
    source: Annotated[list[str] | None, typer.Option(help="Only these sources, e.g. telegram:tengrinews.")] = None,
    seed: Annotated[int, typer.Option(help="Random seed: the same inputs and seed give the same model.")] = 42,
    workers: Annotated[int, typer.Option(min=1, help="LDA worker processes; above 1 the fit is not reproducible.")]
    = 1,
    guided: Annotated[bool, typer.Option(help="BERTopic: guide topics towards the participation lexicon's "
                                                "categories (one seed topic per category).")] = False,
    lexicon: LexiconOption = None,
    db: DbOption = None,
) -> None:
    """Fit a topic model on processed posts, save it beside the warehouse and register it."""
    from qatysu.flows.topics import NothingToModel, fit_topics

    if method not in ("lda", "bertopic"):
        raise typer.BadParameter("--method must be lda or bertopic")
    if lang not in ("ru", "kk", "all"):
        raise typer.BadParameter("--lang must be ru, kk or all")
    if (guided or lexicon) and method != "bertopic":
        raise typer.BadParameter("--guided and --lexicon guide BERTopic; LDA is not guided")
    seeds = lexicon_or_exit(lexicon).seed_topics(("ru", "kk") if lang == "all" else (lang,)) if guided else None
    corpus = CorpusFilter(lang, since, until, tuple(platform or ()), tuple(source or ()))
    with console.status(f"fitting {method} on {lang} posts…"):
        try:
            summary = fit_topics(Warehouse.at(db), method=method, corpus=corpus, k=k, k_grid=_grid(k_grid),
                                 seed=seed, workers=workers, seed_topics=seeds)
        except NothingToModel as exc:
            err.print(f"nothing to do: {exc}", markup=False)
            raise typer.Exit(1)
    cv = "n/a" if summary.coherence_cv is None else f"{summary.coherence_cv:.3f}"
    console.print(f"[green]Fitted[/green] {summary.model_id}: {summary.k} topics over {summary.n_docs} posts, "
                  f"C_v {cv}; saved in {summary.path}", highlight=False)


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
