"""``qatysu markers``, ``qatysu link`` and ``qatysu lexicon``."""

from __future__ import annotations

from typing import Annotated

import typer

from qatysu.output import DbOption, FormatOption, LexiconOption, LiveOption, console, err, lexicon_or_exit, print_rows
from qatysu.warehouse import Warehouse

markers_app = typer.Typer(help="Marker words: what goes with higher and lower engagement.", no_args_is_help=True)
lexicon_app = typer.Typer(help="The participation lexicon.", no_args_is_help=True)

@markers_app.command("score")
def markers_score(
    scope: Annotated[list[str] | None, typer.Option(
        help="all, lang:ru, lang:kk, region:KZ-xx, period:YYYY-MM or source:<id> (repeatable).")] = None,
    model: Annotated[str | None, typer.Option(help="Topic model whose topics are scored too [default: latest].")]
    = None,
    lexicon: LexiconOption = None,
    prior_size: Annotated[float, typer.Option(help="α₀, the size of the informative Dirichlet prior.")] = 1000.0,
    min_count: Annotated[int, typer.Option(help="Score units in at least this many posts of the scope.")] = 5,
    db: DbOption = None,
) -> None:
    """Weighted log-odds (informative Dirichlet prior) of words, phrases, lexicon categories and topics in
    high- vs low-engagement posts (terciles of engagement relative to each source's own level)."""
    from qatysu.flows.markers import score_markers
    from qatysu.warehouse.marker_store import ScopeError

    try:
        with console.status("scoring markers…"):
            summary = score_markers(Warehouse.at(db), scopes=scope or ["all"], model_id=model,
                                    lexicon_files=lexicon or [], prior_size=prior_size, min_count=min_count)
    except ScopeError as exc:
        raise typer.BadParameter(str(exc), param_hint="--scope")
    for s, n in summary.scored.items():
        sizes = summary.groups[s]
        console.print(f"[green]{s}[/green]: {n} units scored, {summary.found[s]} at q ≤ 0.1 "
                      f"(high {sizes.get('high', 0)}, low {sizes.get('low', 0)} posts; "
                      f"left out: {sizes.get('no counters', 0)} without counters, "
                      f"{sizes.get('small source', 0)} of sources with under 6 such posts)", highlight=False)
    if not any(summary.scored.values()):
        console.print("Nothing to score: no processed posts with engagement counters in these scopes.")
    console.print(f"run {summary.run_id}; `qatysu markers show` lists the markers")


@markers_app.command("show")
def markers_show(
    scope: Annotated[str, typer.Option(help="Scope to show.")] = "all",
    unit: Annotated[str, typer.Option(help="term, category or topic.")] = "term",
    top: Annotated[int, typer.Option(help="Markers per direction.")] = 30,
    run: Annotated[str | None, typer.Option(help="A markers run [default: the latest that scored this scope].")]
    = None,
    db: DbOption = None,
    live: LiveOption = False,
    fmt: FormatOption = "table",
) -> None:
    """Words (or categories, topics) that go with higher and with lower engagement, by z."""
    with Warehouse.at(db).reader(live=live) as con:
        run = run or (con.execute(
            """SELECT s.run_id FROM marker_scores s JOIN analysis_runs r USING (run_id)
               WHERE s.scope = ? ORDER BY r.started_at DESC LIMIT 1""", [scope]).fetchone() or [None])[0]
        if run is None:
            err.print(f"no marker scores for scope {scope}; run `qatysu markers score --scope {scope}` first",
                      markup=False)
            raise typer.Exit(1)
        cursor = con.execute(
            """(SELECT 'raises' AS direction, term, lang, round(z, 2) AS z, round(delta, 3) AS delta,
                       round(q, 4) AS q, count_high, count_low FROM marker_scores
                WHERE run_id = $run AND scope = $scope AND unit = $unit AND z > 0 ORDER BY z DESC LIMIT $top)
               UNION ALL
               (SELECT 'lowers', term, lang, round(z, 2), round(delta, 3), round(q, 4), count_high, count_low
                FROM marker_scores WHERE run_id = $run AND scope = $scope AND unit = $unit AND z < 0
                ORDER BY z ASC LIMIT $top)""",
            {"run": run, "scope": scope, "unit": unit, "top": top})
        rows = cursor.fetchall()
        columns = [d[0] for d in cursor.description]
    print_rows(columns, rows, fmt, title=f"{scope}, run {run}: engagement markers (q ≤ 0.1 is a finding)")


def link_command(
    indicator: Annotated[list[str] | None, typer.Option(help="Indicator id (repeatable) [default: all].")] = None,
    model: Annotated[list[str] | None, typer.Option(help="Topic model(s) whose topics are themes "
                                                          "[default: the latest per language].")] = None,
    lexicon: LexiconOption = None,
    min_posts: Annotated[int, typer.Option(help="Leave out regions with fewer posts.")] = 20,
    seed: Annotated[int, typer.Option(help="Seed of the permutations and bootstrap.")] = 0,
    db: DbOption = None,
) -> None:
    """Link themes (lexicon categories, topics) by region to participation indicators: Spearman ρ with
    permutation p, bootstrap CI and Benjamini–Hochberg q. Association across ≤ 20 regions, not causation."""
    from qatysu.flows.link import CAVEAT, link_themes

    try:
        with console.status("linking themes to indicators…"):
            summary = link_themes(Warehouse.at(db), indicators=indicator, model_ids=model, lexicon_files=lexicon or [],
                                  min_posts=min_posts, seed=seed)
    except ValueError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(1)
    if not summary.tests:
        console.print("Nothing to link: no regional theme rates or no indicator values.")
        return
    console.print(f"[green]Linked[/green] {summary.themes} themes × {summary.indicators} indicators: "
                  f"{summary.tests} tests, {summary.found} with q ≤ 0.1 (run {summary.run_id})", highlight=False)
    with Warehouse.at(db).reader() as con:
        cursor = con.execute(
            """SELECT theme, indicator, n_regions, round(rho, 2) AS rho, round(ci_low, 2) AS ci_low,
                      round(ci_high, 2) AS ci_high, round(p, 4) AS p, round(q, 3) AS q, direction
               FROM theme_links WHERE run_id = ? AND rho IS NOT NULL ORDER BY q, p LIMIT 20""", [summary.run_id])
        print_rows([d[0] for d in cursor.description], cursor.fetchall(), "table", title="strongest links")
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
