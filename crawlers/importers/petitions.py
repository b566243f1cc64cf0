"""Importing a petitions file (CSV or JSON Lines) on the post importers' path: staged in DuckDB, checked whole
with the line of every problem, then written all at once or not at all (``warehouse.petition_import``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb
import pyarrow as pa

from qatysu.crawlers.importers.load import BadRow, ImportSummary, import_file, region_resolver
from qatysu.crawlers.importers.tables import TableFile, file_staging
from qatysu.warehouse import Warehouse
from qatysu.warehouse.petition_import import PETITION_COLUMNS, REQUIRED, merge_staged_petitions, petition_checks
from qatysu.warehouse.post_import import staged_problems
from qatysu.warehouse.posts import UpsertResult
from qatysu.warehouse.staging import drop_staged, stage_table, times_in_utc
from qatysu.warehouse.validation import LINE, PROBLEM

RUN_NAME = "import-petitions"  # the run's name in crawl_runs


def import_petitions(wh: Warehouse, path: Path, fmt: str, column_map: Mapping[str, str] | None = None,
                     encoding: str | None = None, skip_bad: bool = False) -> ImportSummary:
    """Import one file of petitions as run ``import-petitions``; every import adds a signature reading of each
    petition. :class:`~qatysu.crawlers.importers.load.ImportRefused` when rows are bad and ``skip_bad`` is off."""
    table = TableFile(path, fmt, encoding, dict(column_map or {}), PETITION_COLUMNS, REQUIRED)
    return import_file(wh, file_staging(table), PETITION_COLUMNS, name=RUN_NAME,
                       args={"file": str(path), "format": fmt, "map": dict(column_map or {}), "encoding": encoding},
                       skip_bad=skip_bad, checks=petition_checks, merge=merge_staged_petitions)


def store_petitions(con: duckdb.DuckDBPyConnection, records: Sequence[Mapping[str, str | None]], *,
                    author_key: bytes | None) -> tuple[UpsertResult, list[BadRow]]:
    """Write crawled petitions (values as text under the names of :data:`PETITION_COLUMNS`) as the rows of a
    petitions file are written: staged, checked by the same columns and checks, and the good ones merged in one
    transaction with a signature reading each. A bad record is left out and returned (numbered from 1 in
    ``records``), never costing the others."""
    names = [c.name for c in PETITION_COLUMNS if c.name in REQUIRED or any(r.get(c.name) is not None for r in records)]
    table = pa.table({LINE: pa.array(range(1, len(records) + 1), pa.int64()),
                      PROBLEM: pa.array([None] * len(records), pa.string()),
                      **{n: pa.array([r.get(n) for r in records], pa.string()) for n in names}})
    times_in_utc(con)
    stage_table(con, table, PETITION_COLUMNS)
    try:
        bad = [BadRow(line, problem, "petition") for line, problem in staged_problems(
            con, PETITION_COLUMNS, json_types=False, resolve_region=region_resolver(con), checks=petition_checks)]
        result = merge_staged_petitions(con, PETITION_COLUMNS, author_key=author_key, skip_lines=[b.line for b in bad])
    finally:
        drop_staged(con)
    return result, bad
