"""Importing a file: stage it, check every row, then write all of it at once, or nothing.

The run is recorded in ``crawl_runs`` before anything is read and closed whatever happens: ``finished`` with
the rows written and skipped, or ``failed`` with what stopped it, so no import is ever left ``running``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from qatysu.warehouse import Warehouse, WarehouseError, load_author_key
from qatysu.warehouse.crawls import finish_run, start_run
from qatysu.warehouse.post_import import merge_staged_posts, staged_problems
from qatysu.warehouse.posts import UpsertResult
from qatysu.warehouse.regions import RegionResolver, UnknownRegion
from qatysu.warehouse.staging import drop_staged, times_in_utc
from qatysu.warehouse.validation import Column

MAX_REPORTED = 20


@dataclass(frozen=True)
class BadRow:
    """A row (or an export's message) that cannot be imported, where a reader of the file finds it."""

    line: int | None
    problem: str
    unit: str = "line"

    def __str__(self) -> str:
        return f"{self.unit} {self.line}: {self.problem}" if self.line is not None else self.problem


class ImportRefused(WarehouseError):
    def __init__(self, source: str, bad: Sequence[BadRow]):
        shown = "\n  ".join(map(str, bad[:MAX_REPORTED]))
        more = f"\n  … and {len(bad) - MAX_REPORTED} more" if len(bad) > MAX_REPORTED else ""
        super().__init__(f"{source}: {len(bad)} bad row(s); nothing was imported (--skip-bad imports the rest):"
                         f"\n  {shown}{more}")


@dataclass(frozen=True)
class ImportSummary:
    new: int
    updated: int
    skipped: list[BadRow]
    metrics: int = 0  # counter readings appended (post_metrics, or petition_signatures)


# Writes the checked staged rows but those on the lines given: merge_staged_posts, merge_staged_petitions.
Merge = Callable[..., UpsertResult]


@dataclass(frozen=True)
class Staging:
    """How a file is staged: ``stage`` reads it; ``exact`` (when the first reader kept no line numbers)
    stages it again record by record, to name the lines of its problems; ``unit`` names a record."""

    stage: Callable[[duckdb.DuckDBPyConnection], bool]
    exact: Callable[[duckdb.DuckDBPyConnection], None] | None = None
    json_types: bool = False
    unit: str = "line"


def region_resolver(con: duckdb.DuckDBPyConnection) -> Callable[[str], str | None]:
    """Region names to codes as the warehouse knows them; an unknown name gives None (a problem of its row)."""
    regions = RegionResolver.from_warehouse(con)

    def resolve(name: str) -> str | None:
        try:
            return regions.resolve(name)
        except UnknownRegion:
            return None

    return resolve


def import_file(wh: Warehouse, staging: Staging, columns: Sequence[Column], *, name: str, args: dict[str, Any],
                skip_bad: bool = False, checks: Callable[[Sequence[Column]], Sequence[str]] | None = None,
                merge: Merge = merge_staged_posts
                ) -> ImportSummary:
    """Stage, check (``columns``, and ``checks`` across them) and write one file as run ``name`` with ``merge``;
    :class:`ImportRefused` when rows are bad and ``skip_bad`` is off (then nothing is written)."""
    wh.require()  # before the key beside it is looked for
    key = load_author_key(wh.author_key_path)
    with wh.writer(publish=False) as con:
        run_id = start_run(con, name, args)
    bad: list[BadRow] = []
    try:
        with wh.writer() as con:
            times_in_utc(con)
            resolve = region_resolver(con)
            complete = staging.stage(con)
            problems = (staged_problems(con, columns, json_types=staging.json_types, resolve_region=resolve,
                                        checks=checks) if complete else [])
            if (problems or not complete) and staging.exact is not None:
                staging.exact(con)
                problems = staged_problems(con, columns, json_types=staging.json_types, resolve_region=resolve,
                                           checks=checks)
            bad = [BadRow(line, problem, staging.unit) for line, problem in problems]
            if bad and not skip_bad:
                raise ImportRefused(str(args.get("file", name)), bad)
            result = merge(con, columns, author_key=key, skip_lines=[b.line for b in bad])
            drop_staged(con)
            finish_run(con, run_id, status="finished", posts_new=result.inserted, posts_updated=result.updated,
                       errors=0, skipped=len(bad))
    except BaseException as exc:
        reason = "failed (bad rows refused)" if isinstance(exc, ImportRefused) else f"failed ({type(exc).__name__})"
        with wh.writer() as con:
            finish_run(con, run_id, status=reason, posts_new=0, posts_updated=0, errors=len(bad) or 1)
        if isinstance(exc, OSError):  # unreadable, vanished, a disk that filled up: one line, no traceback
            raise WarehouseError(f"{args.get('file', name)}: {exc.strerror or exc}") from exc
        raise
    return ImportSummary(result.inserted, result.updated, bad, result.metrics)
