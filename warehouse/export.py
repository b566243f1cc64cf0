"""Exports: the warehouse as Parquet (posts partitioned by platform and month, every other table as one file),
and a query's result as CSV, Parquet or XLSX (``qatysu sql --out``)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import datetime, time, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from qatysu.warehouse.store import WarehouseError

# Kept out of exports: bookkeeping a reader of the data has no use for.
_NOT_EXPORTED = {"posts", "schema_version", "warehouse_meta"}


def exported_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND NOT temporary ORDER BY table_name"
    ).fetchall()
    return [name for (name,) in rows if name not in _NOT_EXPORTED]


def export_parquet(
    con: duckdb.DuckDBPyConnection, out_dir: Path, progress: Callable[[str], None] = lambda _: None
) -> dict[str, int]:
    """Write ``posts/platform=…/month=…/*.parquet`` and ``<table>.parquet``; return rows per table."""
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        return _export_parquet(con, out_dir, progress)
    except duckdb.IOException as exc:
        raise WarehouseError(f"{out_dir}: cannot write the export ({str(exc).splitlines()[0]}); choose a folder "
                             "you may write to") from exc


def _export_parquet(con: duckdb.DuckDBPyConnection, out_dir: Path, progress: Callable[[str], None]) -> dict[str, int]:
    counts: dict[str, int] = {}
    progress("posts")
    posts_dir = out_dir / "posts"
    con.execute(
        f"""COPY (SELECT *, strftime(timezone('Asia/Almaty', published_at), '%Y-%m') AS month FROM posts)
            TO '{_quoted(posts_dir)}' (FORMAT parquet, PARTITION_BY (platform, month), OVERWRITE true,
            FILENAME_PATTERN 'posts_{{i}}')"""
    )
    counts["posts"] = con.execute("SELECT count(*) FROM posts").fetchone()[0]
    for table in exported_tables(con):
        progress(table)
        con.execute(f"COPY {table} TO '{_quoted(out_dir / (table + '.parquet'))}' (FORMAT parquet)")
        counts[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return counts


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


# Results of qatysu sql ---------------------------------------------------------------------------------------

RESULT_FORMATS = {".csv": "csv", ".parquet": "parquet", ".xlsx": "xlsx"}
XLSX_MAX_ROWS = 1_048_575  # a worksheet's 1,048,576 rows, less the header
_BATCH_ROWS = 50_000


def result_format(path: Path) -> str:
    """csv, parquet or xlsx, from the file name's extension; ValueError for another."""
    try:
        return RESULT_FORMATS[path.suffix.lower()]
    except KeyError:
        raise ValueError(f"{path.name}: the file name must end in {', '.join(RESULT_FORMATS)}") from None


def write_result(cursor: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Write the whole result of an executed query to ``path`` (format by extension); return its rows.

    The result streams through in Arrow batches, so it need not fit in memory. The file appears whole or not at
    all: it is written beside its final name and renamed when complete. CSV and Parquet are written by an
    in-memory DuckDB of Qatysu's own from the Arrow stream (the researcher's query ran in the sandbox, which
    writes no file); XLSX by openpyxl, with times converted to UTC (Excel has no time zones).
    """
    fmt = result_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    stream = cursor.fetch_record_batch(_BATCH_ROWS)
    try:
        rows = _write_xlsx(stream, tmp) if fmt == "xlsx" else _write_with_duckdb(stream, tmp, fmt)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return rows


def _write_with_duckdb(stream: pa.RecordBatchReader, path: Path, fmt: str) -> int:
    with duckdb.connect() as writer:
        writer.register("result", stream)
        options = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"
        return writer.execute(f"COPY result TO '{_quoted(path)}' ({options})").fetchone()[0]


def _excel_value(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, (bytes, time)) or (isinstance(value, Decimal) and not value.is_finite()):
        return str(value)
    return value


def _write_xlsx(stream: pa.RecordBatchReader, path: Path) -> int:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("result")
    sheet.append(stream.schema.names)
    rows = 0
    for batch in stream:
        rows += batch.num_rows
        if rows > XLSX_MAX_ROWS:
            raise ValueError(f"the result has more than {XLSX_MAX_ROWS:,} rows, more than a worksheet holds; "
                             "write it as .csv or .parquet")
        for record in batch.to_pylist():
            sheet.append([_excel_value(v) for v in record.values()])
    book.save(path)
    return rows
