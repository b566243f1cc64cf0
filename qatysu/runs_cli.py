"""``qatysu runs`` (what ran, what runs now, what was abandoned) and ``qatysu backup``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qatysu.output import DbOption, FormatOption, console, err, print_rows
from qatysu.warehouse import Warehouse
from qatysu.warehouse.privacy import AUTHOR_KEY_ENV


def runs_command(
    db: DbOption = None,
    running: Annotated[bool, typer.Option("--running", help="Only the runs in progress now.")] = False,
    limit: Annotated[int, typer.Option(min=1, help="Latest runs to list.")] = 30,
    fmt: FormatOption = "table",
) -> None:
    """List the latest runs of every step, newest first. A run whose process has ended without closing it (killed,
    or the machine stopped) is marked abandoned first, so `running` means a process is working on it now."""
    from qatysu.warehouse.runs import list_runs, mark_abandoned

    wh = Warehouse.at(db)
    with wh.writer(publish=False) as con:
        marked = mark_abandoned(con)
        columns, rows = list_runs(con, running=running, limit=limit)
    if marked:
        wh.publish_snapshot()
        err.print(f"{marked} run(s) whose process had ended are now marked abandoned", highlight=False)
    if not rows:
        console.print("No run in progress." if running else "No runs recorded yet.")
        return
    print_rows(columns, rows, fmt)


def backup_command(
    out_dir: Annotated[Path, typer.Argument(file_okay=False, help="Folder to copy into (empty, or new).")],
    db: DbOption = None,
) -> None:
    """Copy the warehouse consistently (and its topic and phrase models) into a folder; the author key stays apart."""
    from qatysu.warehouse.backup import backup

    wh = Warehouse.at(db)
    with err.status(f"backing up {wh.path}…"):
        summary = backup(wh, out_dir)
    console.print(f"[green]Backed up[/green] {wh.path} to {summary.warehouse} ({summary.size / 1024 ** 2:.1f} MiB)"
                  + (f" with {', '.join(p.name for p in summary.data)}" if summary.data else ""), highlight=False)
    console.print(
        f"The author key {wh.author_key_path.name} is not in the backup, on purpose: with it, the pseudonyms "
        "can be traced back to people. Keep a copy of it apart from the backup (a password manager or an "
        f"encrypted drive). To restore, put both back side by side, or set ${AUTHOR_KEY_ENV}; without the key, "
        "new posts get pseudonyms that do not match the old ones.", highlight=False)
