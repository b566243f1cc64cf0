"""Spreadsheets an analyst can work in: column widths fitted to the content, the header frozen, filters on,
numbers formatted by kind, one sheet per table, and long tables capped with the CSV file named that holds the
rest. Used by the report's XLSX, coding samples and exported listings."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

MAX_ROWS = 50_000  # rows of one sheet; the CSV file holds them all
MAX_WIDTH = 60
WRAP_WIDTH = 80  # columns of long text (post texts) are this wide and wrap
HEADER = PatternFill("solid", fgColor="E8EEF4")
NUMBER_FORMATS = {"int": "#,##0", "float": "0.000", "datetime": "yyyy-mm-dd hh:mm", "date": "yyyy-mm-dd"}


def _kind(values: Sequence[Any]) -> str | None:
    sample = [v for v in values[:200] if not isinstance(v, (list, tuple, dict, np.ndarray)) and not pd.isna(v)]
    if not sample:
        return None
    if all(isinstance(v, bool) for v in sample):
        return None
    if all(isinstance(v, int) for v in sample):
        return "int"
    if all(isinstance(v, (int, float)) for v in sample):
        return "float"
    if all(isinstance(v, pd.Timestamp) or hasattr(v, "hour") for v in sample):
        return "datetime"
    if all(hasattr(v, "year") for v in sample):
        return "date"
    return None


def _cell(value: Any) -> Any:
    """Excel has no time zones (UTC wall-clock time is written), lists or NaN."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple, dict)):
        return str(value)
    if value is None or pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        value = pd.Timestamp(value).tz_convert("UTC").tz_localize(None).to_pydatetime()
    return value


def write_sheet(ws: Worksheet, columns: Sequence[str], rows: Sequence[Sequence[Any]], *,
                note: str | None = None) -> None:
    """One table on one sheet, formatted; ``note`` (where the rest of a capped table is) is the first row, above
    the header, where nobody misses it."""
    start = 1
    if note:
        ws.cell(1, 1, note).font = Font(italic=True, color="7A5C00")
        start = 2
    for j, name in enumerate(columns, 1):
        cell = ws.cell(start, j, name)
        cell.font, cell.fill = Font(bold=True), HEADER
    for i, row in enumerate(rows, start + 1):
        for j, value in enumerate(row, 1):
            ws.cell(i, j, _cell(value))
    for j, name in enumerate(columns, 1):
        values = [r[j - 1] for r in rows]
        kind = _kind(values)
        longest = max([len(str(name))] + [len(str(v)) for v in values[:500] if v is not None])
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = min(max(longest + 2, 8), WRAP_WIDTH if longest > MAX_WIDTH else MAX_WIDTH)
        if kind or longest > MAX_WIDTH:
            for (cell,) in ws.iter_rows(min_row=start + 1, max_row=start + len(rows), min_col=j, max_col=j):
                if kind:
                    cell.number_format = NUMBER_FORMATS[kind]
                else:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = ws.cell(start + 1, 1)
    if columns:
        ws.auto_filter.ref = f"A{start}:{get_column_letter(len(columns))}{start + max(len(rows), 1)}"


def frame_rows(df: pd.DataFrame) -> list[tuple]:
    return list(df.astype(object).itertuples(index=False, name=None))


def write_workbook(path: Path, tables: dict[str, pd.DataFrame], *, csv_dir: str | None = None,
                   max_rows: int = MAX_ROWS) -> None:
    """Every table on its own sheet (names cut to Excel's 31 characters); a table longer than ``max_rows`` is
    cut there, with a note naming ``<csv_dir>/<name>.csv`` for the whole of it."""
    book = Workbook()
    book.remove(book.active)
    for name, df in tables.items():
        rows = frame_rows(df.head(max_rows))  # only the rows the sheet shows become Python objects
        note = None
        if len(df) > max_rows:
            where = f"{csv_dir}/{name}.csv" if csv_dir else "the CSV export"
            note = f"First {max_rows:,} of {len(df):,} rows; all of them are in {where}."
        write_sheet(book.create_sheet(name[:31]), list(df.columns), rows, note=note)
    book.save(path)


def write_listing(path: Path, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A listing (search results, keyword in context) as .xlsx or .csv, chosen by the file's suffix."""
    if path.suffix.lower() == ".xlsx":
        book = Workbook()
        write_sheet(book.active, columns, rows)
        book.save(path)
    elif path.suffix.lower() == ".csv":
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(columns)
            writer.writerows(rows)
    else:
        raise ValueError(f"{path.name}: write .xlsx or .csv")
