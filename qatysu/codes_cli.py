"""``qatysu sample`` and ``qatysu codes``: samples of posts for hand coding, and what the codes say."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qatysu.flows.config import SampleConfig, default
from qatysu.output import DbOption, FormatOption, LexiconOption, console, err, param_help, print_rows
from qatysu.warehouse import Warehouse, WarehouseError

codes_app = typer.Typer(help="Hand-coded posts: load the coders' sheets, their agreement, and what they say about "
                             "lexicon categories and topics.", no_args_is_help=True)

CodebookOption = Annotated[Path | None, typer.Option(
    "--codebook", exists=True, dir_okay=False,
    help="Codebook YAML (codes, allowed values, instructions) [default: the shipped example, "
         "models/data/codebook.yaml].")]


def _codebook(path: Path | None):
    from qatysu.models.coding import CodebookError, load_codebook

    try:
        return load_codebook(path)
    except CodebookError as exc:
        raise WarehouseError(str(exc)) from exc


def _number(value: float | None, digits: int = 3) -> str:
    return "" if value is None or value != value else f"{value:.{digits}f}"


def sample_command(
    out: Annotated[Path, typer.Option("--out", dir_okay=False, help="The coding sheet to write: .xlsx or .csv.")],
    n: Annotated[int, typer.Option("--n", min=1, help=param_help(SampleConfig, "n"))] = default(SampleConfig, "n"),
    stratify: Annotated[str | None, typer.Option(help="Draw from each region, source, topic or month "
                                                       "[default: no strata].")] = None,
    allocation: Annotated[str, typer.Option(help=param_help(SampleConfig, "allocation") + " Weights are in the "
                                                 "sheet.")] = default(SampleConfig, "allocation"),
    where_category: Annotated[str | None, typer.Option(help="Only posts with this lexicon category.")] = None,
    where_topic: Annotated[str | None, typer.Option(help="Only posts whose main topic is MODEL_ID:TOPIC_ID.")]
    = None,
    model: Annotated[str | None, typer.Option(help="Topic model of --stratify topic [default: the latest].")]
    = None,
    seed: Annotated[int, typer.Option(help=param_help(SampleConfig, "seed"))] = default(SampleConfig, "seed"),
    codebook: CodebookOption = None,
    lexicon: LexiconOption = None,
    db: DbOption = None,
) -> None:
    """Draw a (stratified, seeded) sample of posts to code by hand, written with the codebook's empty columns."""
    from qatysu.flows.coding import sample_posts
    from qatysu.models.sampling import ALLOCATIONS
    from qatysu.warehouse.coding_store import STRATA

    if stratify is not None and stratify not in STRATA:
        raise typer.BadParameter(f"--stratify takes {', '.join(STRATA)}")
    if allocation not in ALLOCATIONS:
        raise typer.BadParameter(f"--allocation takes {' or '.join(ALLOCATIONS)}")
    if out.suffix.lower() not in (".xlsx", ".csv"):
        raise typer.BadParameter("write the sample to a .xlsx or .csv file", param_hint="--out")
    summary = sample_posts(Warehouse.at(db), out, n=n, stratify=stratify, allocation=allocation,
                           where_category=where_category, where_topic=where_topic, model_id=model, seed=seed,
                           codebook=_codebook(codebook), lexicon_files=tuple(lexicon or ()))
    drawn = sum(summary.drawn.values())
    console.print(f"[green]Wrote[/green] {drawn} posts from {len(summary.population)} strata to {out}",
                  highlight=False)
    if stratify:
        print_rows(["stratum", "posts", "drawn"], [(s, summary.population[s], summary.drawn.get(s, 0))
                                                  for s in summary.population], "table")


@codes_app.command("load")
def codes_load(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="A coded sheet (.xlsx or .csv).")],
    coder: Annotated[str, typer.Option(help="Who coded it (codes are kept per coder).")],
    codebook: CodebookOption = None,
    db: DbOption = None,
) -> None:
    """Store a coder's codes; the file is checked whole and refused, with the lines at fault, if a value is not
    one the codebook allows or a post is unknown."""
    from qatysu.flows.coding import load_codes

    summary = load_codes(Warehouse.at(db), file, coder=coder, codebook=_codebook(codebook))
    counts = ", ".join(f"{c} {n}" for c, n in summary.codes_by_name.items())
    console.print(f"[green]Loaded[/green] {summary.codes} codes of {summary.posts} posts by {coder} ({counts})",
                  highlight=False)


@codes_app.command("agreement")
def codes_agreement(codebook: CodebookOption = None, db: DbOption = None, fmt: FormatOption = "table") -> None:
    """Krippendorff's alpha of each code across coders (posts coded by two or more), with a 95% bootstrap
    interval over posts. Krippendorff's rule of thumb: rely on α ≥ 0.8, draw tentative conclusions from 0.667."""
    from qatysu.flows.coding import code_agreement

    rows = [(a.code, a.posts, a.coders, a.pairable, _number(a.alpha), _number(a.ci_low), _number(a.ci_high))
            for a in code_agreement(Warehouse.at(db), _codebook(codebook))]
    print_rows(["code", "posts", "coders", "values", "alpha", "ci_low", "ci_high"], rows, fmt,
               title="agreement between coders (Krippendorff's alpha)")


@codes_app.command("validate")
def codes_validate(codebook: CodebookOption = None, lexicon: LexiconOption = None, db: DbOption = None,
                   fmt: FormatOption = "table") -> None:
    """How often a lexicon category or topic means what it says: precision (coded posts it flags that coders
    marked positive) and recall, with 95% Wilson intervals. A post's value is its coders' majority."""
    from qatysu.flows.coding import validate_themes

    results = validate_themes(Warehouse.at(db), _codebook(codebook), tuple(lexicon or ()))
    if not results:
        err.print("no code of the codebook validates a category or topic (give them `validates:`)", markup=False)
        raise typer.Exit(1)
    rows = [(v.code, v.theme, v.flagged, _number(v.precision), _number(v.precision_low), _number(v.precision_high),
             v.positives, _number(v.recall), _number(v.recall_low), _number(v.recall_high)) for v in results]
    print_rows(["code", "theme", "flagged", "precision", "low", "high", "positives", "recall", "low", "high"], rows,
               fmt, title="categories and topics against hand codes (95% Wilson intervals)")
    if fmt == "table":
        console.print("Recall is only meaningful when the sample was not drawn from the theme's own posts "
                      "(--where-category, --where-topic).", highlight=False)
