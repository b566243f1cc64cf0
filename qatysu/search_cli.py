"""``qatysu search`` and ``qatysu kwic``: find posts and read words in their context."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from qatysu.flows.config import SearchConfig, default
from qatysu.output import DbOption, FormatOption, LiveOption, console, err, param_help, print_rows
from qatysu.warehouse import Warehouse

SNIPPET = 120  # characters of a post's text in the terminal table (csv and json carry the whole text)
CONTEXT = 50  # characters of context on each side of a keyword in the terminal (csv and json carry all of it)

OutOption = Annotated[Path | None, typer.Option("--out", dir_okay=False,
                                                help="Also write the rows to this .xlsx or .csv file.")]


def _save(out: Path | None, columns: list[str], rows: list[tuple]) -> None:
    if out is None:
        return
    from qatysu.reports.spreadsheet import write_listing

    try:
        write_listing(out, columns, rows)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--out")
    err.print(f"wrote {len(rows)} rows to {out}", markup=False, highlight=False)


def search_command(
    text: Annotated[str, typer.Argument(help="Words to look for (any form: they are lemmatised as posts are).")],
    lang: Annotated[str | None, typer.Option(help="Only posts in this language (ru, kk, mixed).")] = None,
    region: Annotated[str | None, typer.Option(help="Only posts attributed to this region (code, e.g. KZ-75).")]
    = None,
    since: Annotated[datetime | None, typer.Option(help="Only posts published since this date.")] = None,
    until: Annotated[datetime | None, typer.Option(help="Only posts published before this date.")] = None,
    source: Annotated[str | None, typer.Option(help="Only posts of this source, e.g. telegram:tengrinews.")] = None,
    limit: Annotated[int, typer.Option(min=1, help=param_help(SearchConfig, "limit"))] = default(SearchConfig, "limit"),
    out: OutOption = None,
    db: DbOption = None,
    live: LiveOption = False,
    fmt: FormatOption = "table",
) -> None:
    """Full-text search (BM25) over processed posts, with date, source, regions, engagement and link."""
    from qatysu.flows.search import search_posts

    columns, rows = search_posts(Warehouse.at(db), text, live=live, lang=lang, region=region, source=source,
                                 since=since, until=until, limit=limit)
    _save(out, columns, rows)
    if not rows:
        console.print(f"No post matches {text!r}.", highlight=False)
        return
    if fmt == "table":
        keep = ["score", "published", "source_id", "regions", "relative_engagement", "text"]  # csv, json: all
        rows_shown = [tuple((" ".join(str(v).split())[:SNIPPET] if c == "text" and v else v)
                            for c, v in zip(columns, r) if c in keep) for r in rows]
        print_rows(keep, rows_shown, fmt, title=f"{len(rows)} best matches for {text!r}")
    else:
        print_rows(columns, rows, fmt)


def kwic_command(
    term: Annotated[str, typer.Argument(help="The word to show in context.")],
    window: Annotated[int, typer.Option(min=1, help=param_help(SearchConfig, "kwic_window"))]
    = default(SearchConfig, "kwic_window"),
    lemma: Annotated[bool, typer.Option("--lemma", help="Match every form of the word (by its lemma), not only "
                                                        "the form as typed.")] = False,
    limit: Annotated[int, typer.Option(min=1, help=param_help(SearchConfig, "kwic_posts"))]
    = default(SearchConfig, "kwic_posts"),
    out: OutOption = None,
    db: DbOption = None,
    live: LiveOption = False,
    fmt: FormatOption = "table",
) -> None:
    """Keyword in context: every occurrence of a word in the newest posts that contain it."""
    from qatysu.flows.search import KWIC_COLUMNS, kwic

    found = kwic(Warehouse.at(db), term, window=window, lemma=lemma, limit=limit, live=live)
    _save(out, KWIC_COLUMNS, found.rows)
    if not found.rows:
        console.print(f"No post contains {found.term!r}{' in any form' if lemma else ''}.", highlight=False)
        return
    if fmt == "table":
        from rich.table import Table

        table = Table(title=f"{found.term!r}: {len(found.rows)} occurrences in {found.posts} posts", box=None)
        table.add_column("post", style="dim", no_wrap=True)
        table.add_column("left", justify="right", no_wrap=True)
        table.add_column("keyword", style="bold cyan", no_wrap=True)
        table.add_column("right", no_wrap=True)
        for uid, _, _, left, word, right, _ in found.rows:  # cut away from the keyword, which stays in the middle
            table.add_row(uid, ("…" + left[-CONTEXT:]) if len(left) > CONTEXT else left, word,
                          (right[:CONTEXT] + "…") if len(right) > CONTEXT else right)
        console.print(table)
    else:
        print_rows(KWIC_COLUMNS, found.rows, fmt)
