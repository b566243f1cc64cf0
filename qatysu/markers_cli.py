"""``qatysu markers``, ``qatysu link`` and ``qatysu lexicon``."""

from __future__ import annotations

from typing import Annotated

import typer
from pydantic import ValidationError

from qatysu.flows.config import LinkConfig, MarkersConfig, default
from qatysu.models.links import Q_LEVEL
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
    print_query,
    print_rows,
)
from qatysu.warehouse.queries import run_query
from qatysu.warehouse import Warehouse

markers_app = typer.Typer(help="Marker words: what goes with higher and lower engagement.", no_args_is_help=True)
lexicon_app = typer.Typer(help="The participation lexicon.", no_args_is_help=True)

OutcomeOption = Annotated[str, typer.Option(help=param_help(MarkersConfig, "outcome"))]
NOTHING_TO_SCORE = {
    "engagement": "Nothing to score: no processed posts with engagement counters in these scopes.",
    "signatures": "Nothing to score: no processed petitions with signature readings in these scopes "
                  "(`qatysu import petitions`, then `qatysu process`).",
    "threshold": "Nothing to score: no processed petitions with a threshold whose signing has closed in these "
                 "scopes (`qatysu import petitions`, then `qatysu process`).",
}
OUTCOME_WORDS = {"engagement": "engagement", "signatures": "signatures per day",
                 "threshold": "reaching the threshold"}
# What the post-level model's ratio is, per outcome (`markers show --method glm`).
MODEL_RATIO = {
    "engagement": "engagement model within sources, ratio of interactions (per view) = exp(estimate)",
    "signatures": "signatures model within platforms, ratio of signatures per day = exp(estimate)",
    "threshold": "threshold model within platforms, odds ratio of reaching it = exp(estimate)",
}


@markers_app.command("score")
def markers_score(
    scope: Annotated[list[str], typer.Option(help=param_help(MarkersConfig, "scopes") + " Repeatable.")]
    = default(MarkersConfig, "scopes"),
    model: Annotated[str | None, typer.Option(help="Topic model whose topics are scored too [default: latest].")]
    = None,
    lexicon: LexiconOption = None,
    prior_share: Annotated[float, typer.Option(help=param_help(MarkersConfig, "prior_share"))]
    = default(MarkersConfig, "prior_share"),
    prior_size: Annotated[float | None, typer.Option(help=param_help(MarkersConfig, "prior_size"))]
    = default(MarkersConfig, "prior_size"),
    min_count: Annotated[int, typer.Option(help=param_help(MarkersConfig, "min_count"))]
    = default(MarkersConfig, "min_count"),
    glm: Annotated[bool, typer.Option(help=param_help(MarkersConfig, "glm"))] = default(MarkersConfig, "glm"),
    outcome: OutcomeOption = default(MarkersConfig, "outcome"),
    db: DbOption = None,
) -> None:
    """Per-post weighted log-odds (informative Dirichlet prior) of words, phrases, lexicon categories and topics
    in high- vs low-engagement posts (terciles of engagement relative to each source's own level), and a
    post-level engagement model (Poisson regression within sources) of the strongest of them and every category.
    With --outcome signatures or threshold, petitions instead: terciles of signatures per day within each
    platform and a Poisson model of signatures with log(days open) as exposure, or reached vs closed below the
    threshold among petitions whose signing closed, and a logistic model (petitions still open are left out)."""
    from qatysu.flows.markers import score_markers

    try:
        params = MarkersConfig(scopes=scope, prior_share=prior_share, prior_size=prior_size, min_count=min_count,
                               glm=glm, outcome=outcome)
    except ValidationError as exc:
        raise typer.BadParameter(invalid(exc), param_hint="--scope")
    with console.status("scoring markers…"):
        summary = score_markers(Warehouse.at(db), params, model_id=model, lexicon_files=lexicon or [])
    petitions = params.outcome != "engagement"
    texts, sources = ("petitions", "platforms") if petitions else ("posts", "sources")
    high, low = ("reached", "closed below the threshold") if params.outcome == "threshold" else ("high", "low")
    without = "without a threshold or reading" if params.outcome == "threshold" else "without counters"
    for s, n in summary.scored.items():
        sizes = summary.groups[s]
        still_open = (f", {sizes.get('open', 0)} still open (outcome not known yet)"
                      if params.outcome == "threshold" else "")
        model_line = (f"; model: {summary.modelled.get(s, 0)} candidates, {summary.found_glm.get(s, 0)} at "
                      f"q ≤ {Q_LEVEL}" if s in summary.modelled else "")
        if s in summary.model_notes:
            model_line = f"; model not fitted: {summary.model_notes[s]}"
        console.print(f"[green]{s}[/green]: {n} units scored, {summary.found[s]} at q ≤ {Q_LEVEL}{model_line} "
                      f"({high} {sizes.get('high', 0)}, {low} {sizes.get('low', 0)} {texts}; "
                      f"left out: {sizes.get('no counters', 0)} {without}{still_open}, "
                      f"{sizes.get('small source', 0)} of {sources} with under {params.min_source_posts} such "
                      f"{texts})", highlight=False)
    if not any(summary.scored.values()):
        console.print(NOTHING_TO_SCORE[params.outcome])
    families = ", ".join(f"{n} {kind}s" for kind, n in summary.families.items())
    if families:
        console.print(f"Benjamini–Hochberg families, one per kind across the scopes: {families}. "
                      f"Associations with {OUTCOME_WORDS[params.outcome]}, not effects.", highlight=False)
    show = "" if params.outcome == "engagement" else f" --outcome {params.outcome}"
    console.print(f"run {summary.run_id}; `qatysu markers show{show}` lists the markers")


@markers_app.command("show")
def markers_show(
    scope: Annotated[str, typer.Option(help="Scope to show.")] = "all",
    unit: Annotated[str, typer.Option(help="term, phrase, category or topic.")] = "term",
    method: Annotated[str, typer.Option(
        help="logodds (per-post log-odds) or glm (the post-level model of the outcome, within sources).")]
    = "logodds",
    top: Annotated[int, typer.Option(help="Markers per direction.")] = 30,
    run: Annotated[str | None, typer.Option(help="A markers run [default: the latest that scored this scope].")]
    = None,
    outcome: OutcomeOption = default(MarkersConfig, "outcome"),
    db: DbOption = None,
    live: LiveOption = False,
    fmt: FormatOption = "table",
) -> None:
    """Words (or phrases, categories, topics) that go with higher and with lower engagement: by z (log-odds) or by
    the model's estimate, with q from one family per unit kind across the run's scopes."""
    if method not in ("logodds", "glm"):
        raise typer.BadParameter("use logodds or glm", param_hint="--method")
    latest, top_query = ("latest_marker_run", "top_markers") if method == "logodds" else \
        ("latest_model_run", "top_model_markers")
    with Warehouse.at(db).reader(live=live) as con:
        found = run_query(con, latest, {"scope": scope, "outcome": outcome})[1]
        run = run or next(iter(found), [None])[0]
        if run is None:
            err.print(f"no {outcome} {'marker scores' if method == 'logodds' else 'model estimates'} for scope "
                      f"{scope}; run `qatysu markers score --scope {scope} --outcome {outcome}` first", markup=False)
            raise typer.Exit(1)
        params = {"run": run, "scope": scope, "unit": unit, "top": top}
        columns, rows = run_query(con, top_query, {**params, "q_level": Q_LEVEL} if method == "logodds" else params)
    what = "per-post log-odds, z" if method == "logodds" else f"{MODEL_RATIO[outcome]} with 95% interval"
    print_rows(columns, rows, fmt, title=f"{scope}, run {run}: {outcome} markers ({what}; higher or lower where "
                                         f"q ≤ {Q_LEVEL}, else no evidence; association, not effect)")


def link_command(
    indicator: Annotated[list[str] | None, typer.Option(help="Indicator id (repeatable) [default: all].")] = None,
    model: Annotated[list[str] | None, typer.Option(help="Topic model(s) whose topics are themes "
                                                          "[default: the latest per language].")] = None,
    lexicon: LexiconOption = None,
    window: Annotated[int, typer.Option(help=param_help(LinkConfig, "window_days"))]
    = default(LinkConfig, "window_days"),
    min_posts: Annotated[int, typer.Option(help=param_help(LinkConfig, "min_posts"))] = default(LinkConfig, "min_posts"),
    min_regions: Annotated[int, typer.Option(help=param_help(LinkConfig, "min_regions"))]
    = default(LinkConfig, "min_regions"),
    seed: Annotated[int, typer.Option(help=param_help(LinkConfig, "seed"))] = default(LinkConfig, "seed"),
    db: DbOption = None,
) -> None:
    """Link themes (lexicon categories, topics) by region to participation indicators, each with the posts of its
    window before the vote: Spearman ρ with adaptive permutation p, bootstrap CI and Benjamini–Hochberg q.
    Association across ≤ 20 regions, not causation."""
    from qatysu.flows.link import CAVEAT, link_themes

    try:
        params = LinkConfig(indicators=indicator, window_days=window, min_posts=min_posts, min_regions=min_regions,
                            seed=seed)
        with console.status("linking themes to indicators…"):
            summary = link_themes(Warehouse.at(db), params, model_ids=model, lexicon_files=lexicon or [])
    except ValidationError as exc:
        err.print(f"error: {invalid(exc)}", markup=False)
        raise typer.Exit(1)
    except ValueError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(1)
    for name, why in sorted(summary.not_tested.items()):
        console.print(f"not tested: {name}: {why}", highlight=False, markup=False)
    if not summary.tests:
        console.print(f"Nothing to link: no indicator has {params.min_regions} regions with {params.min_posts} "
                      f"posts in its window ({summary.window_days} days before a vote).")
        return
    console.print(f"[green]Linked[/green] {summary.themes} themes × {summary.indicators - len(summary.not_tested)} "
                  f"indicators (posts of the {summary.window_days} days before each vote): {summary.tests} tests, "
                  f"one BH family, {summary.found} with q ≤ {Q_LEVEL} (run {summary.run_id})", highlight=False)
    print_query(db, "strongest_links", "table", params={"run": summary.run_id, "top": 20},
                title="strongest links (association; n = regions)")
    console.print(CAVEAT)


@lexicon_app.command("show")
def lexicon_show(lexicon: LexiconOption = None, fmt: FormatOption = "table") -> None:
    """Categories and terms of the lexicon (with your files added), with their sources."""
    lex = lexicon_or_exit(lexicon)
    rows = [(t.category, lex.categories[t.category].group, lex.categories[t.category].direction or "", t.lang,
             t.term, lex.sources.get(t.source, t.source)) for t in lex.terms]
    print_rows(["category", "group", "direction", "lang", "term", "source"], rows, fmt,
               title=f"lexicon {lex.version}: {len(lex.categories)} categories, {len(lex.terms)} terms")


@lexicon_app.command("validate")
def lexicon_validate(lexicon: LexiconOption = None) -> None:
    """Check that every term is in the lemma form the processing step produces; exit 1 on any problem."""
    from qatysu.models.lexicon import validate
    from qatysu.nlp.pipeline import analyze

    lex = lexicon_or_exit(lexicon)
    problems = validate(lex, lambda text, lang: next(analyze([text], lang=lang)).content_lemmas)
    for problem in problems:
        err.print(problem, markup=False)
    if problems:
        err.print(f"{len(problems)} problem(s) in {', '.join(lex.files)}", markup=False)
        raise typer.Exit(1)
    console.print(f"[green]OK[/green]: {len(lex.terms)} terms in {len(lex.categories)} categories are lemmas "
                  f"({', '.join(lex.files)})", highlight=False)
