"""Storing imported records: checked whole first, then written in batches through the upsert."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from qatysu.crawlers.importers.records import BadRecord
from qatysu.warehouse import Warehouse, WarehouseError, load_author_key, upsert_posts
from qatysu.warehouse.crawls import finish_run, start_run

BATCH = 5_000
MAX_REPORTED = 20


class ImportRefused(WarehouseError):
    def __init__(self, source: str, bad: list[BadRecord], total_bad: int):
        more = f"\n  … and {total_bad - len(bad)} more" if total_bad > len(bad) else ""
        super().__init__(
            f"{source}: {total_bad} malformed record(s); nothing was imported (--skip-bad imports the rest):\n  "
            + "\n  ".join(map(str, bad)) + more
        )


@dataclass(frozen=True)
class ImportSummary:
    new: int
    updated: int
    skipped: list[BadRecord]


def import_records(
    wh: Warehouse,
    records: Callable[[], Iterable[dict[str, Any] | BadRecord]],
    *,
    name: str,
    args: dict[str, Any],
    skip_bad: bool = False,
) -> ImportSummary:
    """``records`` is called twice: once to check every record, once to write the good ones."""
    bad = [r for r in records() if isinstance(r, BadRecord)]
    if bad and not skip_bad:
        raise ImportRefused(args.get("file", name), bad[:MAX_REPORTED], len(bad))
    key = load_author_key(wh.author_key_path)
    with wh.writer(publish=False) as con:
        run_id = start_run(con, name, args)
    new = updated = 0
    good: Iterator[dict[str, Any]] = (r for r in records() if not isinstance(r, BadRecord))
    while batch := list(islice(good, BATCH)):
        with wh.writer(publish=False) as con:
            result = upsert_posts(con, batch, author_key=key)
        new, updated = new + result.inserted, updated + result.updated
    with wh.writer() as con:
        finish_run(con, run_id, status="finished", items=new + updated, errors=len(bad))
    return ImportSummary(new, updated, bad)
