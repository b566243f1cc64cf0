"""Options and output shared by every ``qatysu`` command group."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.table import Table

from qatysu.warehouse import Warehouse
from qatysu.warehouse.queries import run_query

console = Console()
err = Console(stderr=True)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", envvar="QATYSU_DB", help="Warehouse file [default: ./qatysu.duckdb]", show_default=False),
]
DaskOption = Annotated[
    str | None,
    typer.Option("--dask", metavar="ADDRESS", show_default=False,
                 help="Analyse posts on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786) instead "
                      "of this machine's cores (`qatysu run`: overrides the config's dask.address); "
                      "see docs/scale-out.md."),
]
LiveOption = Annotated[
    bool, typer.Option("--live", help="Read the warehouse itself, not its snapshot (waits while a flow writes).")
]


FormatOption = Annotated[str, typer.Option("--format", help="table, csv or json (one object per line).")]
LexiconOption = Annotated[
    list[Path] | None,
    typer.Option("--lexicon", exists=True, dir_okay=False, help="Your own lexicon YAML, added to the shipped one."),
]


def key_value(pair: str) -> tuple[str, str]:
    """``KEY=VALUE`` of a repeatable option (``--set``, ``--map``) as a pair."""
    key, sep, value = pair.partition("=")
    if not sep:
        raise typer.BadParameter(f"expected KEY=VALUE, not {pair!r}")
    return key.strip(), value.strip()


def invalid(exc: ValidationError) -> str:
    """The user's mistake in one line: a validation error's messages without pydantic's decoration."""
    return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg'].removeprefix('Value error, ')}"
                     for e in exc.errors())


def param_help(model: type[BaseModel], name: str) -> str:
    """An option's help: the description of the step parameter it sets (declared once, in ``flows/config.py``)."""
    return model.model_fields[name].description or ""


def print_query(db: Path | None, name: str, fmt: str = "table", *, live: bool = False,
                params: dict[str, Any] | None = None, title: str | None = None) -> None:
    """Run one of the warehouse's named queries (``warehouse/queries/<name>.sql``) and print its result."""
    with Warehouse.at(db).reader(live=live) as con:
        columns, rows = run_query(con, name, params)
    print_rows(columns, rows, fmt, title=title)


def print_rows(columns: list[str], rows: list[tuple[Any, ...]], fmt: str, title: str | None = None) -> None:
    """Print a result as a rich table, CSV or JSON lines."""
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt == "json":
        for row in rows:
            sys.stdout.write(json.dumps(dict(zip(columns, row)), ensure_ascii=False, default=str) + "\n")
    else:
        table = Table(title=title, show_lines=False)
        for c in columns:
            table.add_column(c, overflow="fold")
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        console.print(table)


def lexicon_or_exit(files: list[Path] | None):
    """The shipped lexicon with the user's files, or a clear error and exit 1."""
    from qatysu.models.lexicon import LexiconError, load_lexicon

    try:
        return load_lexicon(files or [])
    except LexiconError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(1)
