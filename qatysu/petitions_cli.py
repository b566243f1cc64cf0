"""``qatysu import petitions`` and ``qatysu petitions``: petitions and their signatures."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qatysu.output import DbOption, FormatOption, LiveOption, console, err, key_value, print_rows
from qatysu.warehouse import Warehouse

petitions_app = typer.Typer(help="Petitions and their signatures.", no_args_is_help=True)

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def import_petitions(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="A .csv or .jsonl file of petitions.")],
    mapping: Annotated[list[str] | None, typer.Option("--map", help="Rename a column: theirs=ours (repeatable).")]
    = None,
    skip_bad: Annotated[bool, typer.Option(help="Import the good rows when some are malformed.")] = False,
    encoding: Annotated[str | None, typer.Option(
        help="utf-8, utf-16 or cp1251; detected when not given (a byte-order mark, valid UTF-8, else a guess).")]
    = None,
    db: DbOption = None,
) -> None:
    """Import petitions: platform,petition_id,title,created_at,signatures[,text,url,author,closes_at,status,target,
    region,topic_tags,threshold,observed_at]. Checked whole, all or nothing; every import adds a signature reading."""
    from qatysu.crawlers.importers.load import MAX_REPORTED
    from qatysu.crawlers.importers.petitions import import_petitions as run_import

    fmt = FORMATS.get(file.suffix.lower())
    if fmt is None:
        raise typer.BadParameter(f"{file.name}: expected a .csv or .jsonl file", param_hint="FILE")
    summary = run_import(Warehouse.at(db), file, fmt, dict(key_value(m) for m in mapping or []), encoding,
                         skip_bad=skip_bad)
    skipped = f", {len(summary.skipped)} bad rows skipped" if summary.skipped else ""
    console.print(f"[green]Imported[/green] {file}: {summary.new} new petitions, {summary.updated} updated, "
                  f"{summary.metrics} signature readings added{skipped}; `qatysu process` analyses their texts",
                  highlight=False)
    for bad in summary.skipped[:MAX_REPORTED]:
        err.print(f"skipped {bad}", markup=False, highlight=False)


@petitions_app.command("regions")
def petitions_regions(
    store: Annotated[bool, typer.Option(help="Also store them as an indicator (petitions_per_100k, else "
                                             "petitions_count) for `qatysu link`.")] = False,
    db: DbOption = None,
    live: LiveOption = False,
    fmt: FormatOption = "table",
) -> None:
    """Petitions by region (named in their text, else given by their file), per 100,000 inhabitants when the
    `population` indicator is loaded, else as counts."""
    from qatysu.warehouse.petitions import POPULATION_INDICATOR, petitions_by_region, store_petition_indicator

    wh = Warehouse.at(db)
    if store:
        with wh.writer() as con:
            indicator, regions = store_petition_indicator(con)
        console.print(f"[green]Stored[/green] indicator {indicator} for {regions} regions; `qatysu link` relates "
                      "themes to it", highlight=False)
    with wh.reader(live=live) as con:
        rows = petitions_by_region(con)
    per_capita = any(r[3] is not None for r in rows)
    title = "petitions by region" + ("" if per_capita else f" (counts only: load a `{POPULATION_INDICATOR}` "
                                     "indicator for petitions per 100,000 inhabitants)")
    print_rows(["region_code", "petitions", "signatures", "petitions_per_100k"], rows, fmt, title=title)
