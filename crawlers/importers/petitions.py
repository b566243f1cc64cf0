"""Importing a petitions file (CSV or JSON Lines) on the post importers' path: staged in DuckDB, checked whole
with the line of every problem, then written all at once or not at all (``warehouse.petition_import``)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from qatysu.crawlers.importers.load import ImportSummary, import_file
from qatysu.crawlers.importers.tables import TableFile, file_staging
from qatysu.warehouse import Warehouse
from qatysu.warehouse.petition_import import PETITION_COLUMNS, REQUIRED, merge_staged_petitions, petition_checks

RUN_NAME = "import-petitions"  # the run's name in crawl_runs


def import_petitions(wh: Warehouse, path: Path, fmt: str, column_map: Mapping[str, str] | None = None,
                     encoding: str | None = None, skip_bad: bool = False) -> ImportSummary:
    """Import one file of petitions as run ``import-petitions``; every import adds a signature reading of each
    petition. :class:`~qatysu.crawlers.importers.load.ImportRefused` when rows are bad and ``skip_bad`` is off."""
    table = TableFile(path, fmt, encoding, dict(column_map or {}), PETITION_COLUMNS, REQUIRED)
    return import_file(wh, file_staging(table), PETITION_COLUMNS, name=RUN_NAME,
                       args={"file": str(path), "format": fmt, "map": dict(column_map or {}), "encoding": encoding},
                       skip_bad=skip_bad, checks=petition_checks, merge=merge_staged_petitions)
