"""CSV and JSON Lines files of posts (or petitions), staged in DuckDB for checking and writing.

A CSV file is read by DuckDB's own parallel reader when it is clean. When DuckDB rejects anything, or a row
fails the checks, the file is staged again by :mod:`.csv_lines`, which knows the true line of every record
and reads on past broken ones, so every problem is reported where a text editor shows it. JSON Lines are
read line by line (their line is their record) and unpacked by DuckDB.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from qatysu.crawlers.importers.csv_lines import Broken, records, undecodable
from qatysu.crawlers.importers.encoding import detect, normalise, utf8_copy
from qatysu.crawlers.importers.load import Staging
from qatysu.warehouse import WarehouseError
from qatysu.warehouse.post_import import FILE_COLUMNS, REQUIRED
from qatysu.warehouse.staging import stage_csv, stage_json_lines, stage_table
from qatysu.warehouse.validation import LINE, PROBLEM, Column

DELIMITERS = (",", ";", "\t")  # Excel writes ";" where the decimal separator is a comma (ru-RU, kk-KZ)


class FileRefused(WarehouseError):
    """The file cannot be imported at all (its header, its encoding)."""


@dataclass(frozen=True)
class TableFile:
    """A file to import: its path, format (csv or jsonl), encoding (None: detect), ``--map`` renames, and the
    columns it may have and must have (posts by default; petitions: ``warehouse.petition_import``)."""

    path: Path
    fmt: str
    encoding: str | None = None
    column_map: Mapping[str, str] | None = None
    columns: Sequence[Column] = FILE_COLUMNS
    required: Sequence[str] = REQUIRED

    def resolved_encoding(self) -> str:
        return normalise(self.encoding) if self.encoding else detect(self.path)


def _header(file: TableFile, encoding: str) -> tuple[list[str], str]:
    """The CSV header renamed by ``--map``, and the delimiter that makes the required columns appear."""
    with file.path.open(encoding=encoding, errors="surrogateescape", newline="") as fh:
        first = fh.readline()
    mapping = dict(file.column_map or {})
    best: tuple[int, list[str], str] | None = None
    for delimiter in DELIMITERS:
        names = next(csv.reader(io.StringIO(first), delimiter=delimiter), [])
        names = [mapping.get(n.strip(), n.strip()) for n in names]
        score = sum(c in names for c in file.required) * 1000 + len(names)
        if best is None or score > best[0]:
            best = (score, names, delimiter)
    assert best is not None
    _, names, delimiter = best
    missing = [c for c in file.required if c not in names]
    if missing:
        raise FileRefused(f"{file.path}: the header lacks {', '.join(missing)} (it has {', '.join(names) or 'none'};"
                          " rename columns with --map theirs=ours)")
    doubled = sorted({n for n in names if names.count(n) > 1})
    if doubled:
        raise FileRefused(f"{file.path}: the header names {', '.join(doubled)} more than once")
    return names, delimiter


def stage_csv_fast(con: duckdb.DuckDBPyConnection, file: TableFile) -> bool:
    """Stage a CSV file with DuckDB's reader (no line numbers); False when DuckDB rejected part of it."""
    encoding = file.resolved_encoding()
    names, delimiter = _header(file, encoding)
    with utf8_copy(file.path, encoding) as readable:
        return stage_csv(con, readable, names, delimiter, file.columns)


def stage_csv_exact(con: duckdb.DuckDBPyConnection, file: TableFile) -> None:
    """Stage a CSV file record by record with the line each starts on; broken records carry their problem."""
    encoding = file.resolved_encoding()
    names, delimiter = _header(file, encoding)
    lines: list[int] = []
    problems: list[str | None] = []
    columns: list[list[str | None]] = [[] for _ in names]
    with file.path.open(encoding=encoding, errors="surrogateescape", newline="") as fh:
        fh.readline()
        for record in records(fh, len(names), delimiter, first_line=2):
            if isinstance(record, Broken):
                lines.append(record.line)
                problems.append(record.problem)
                for column in columns:
                    column.append(None)
                continue
            line, fields = record
            lines.append(line)
            problems.append(None)
            for column, value in zip(columns, fields):
                column.append(value or None)
    stage_table(con, pa.table({LINE: pa.array(lines, pa.int64()), PROBLEM: pa.array(problems, pa.string()),
                               **{n: pa.array(c, pa.string()) for n, c in zip(names, columns)}}), file.columns)


JSONL_CHUNK = 50_000  # lines read into Python at a time; DuckDB parses them while the next are read


def stage_jsonl(con: duckdb.DuckDBPyConnection, file: TableFile, keys: Sequence[str]) -> None:
    """Stage JSON Lines: one record per non-blank line, each of ``keys`` (ours) read from its ``--map`` name.
    The lines reach DuckDB as a stream of Arrow batches, so a file of a million posts is never held in Python."""
    encoding = file.resolved_encoding()
    theirs = {ours: theirs for theirs, ours in (file.column_map or {}).items()}
    schema = pa.schema([(LINE, pa.int64()), (PROBLEM, pa.string()), ("json", pa.string())])

    def batches() -> Iterator[pa.RecordBatch]:
        numbers: list[int] = []
        problems: list[str | None] = []
        texts: list[str | None] = []
        with file.path.open(encoding=encoding, errors="surrogateescape", newline=None) as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                numbers.append(number)
                bad = undecodable(line)
                problems.append(bad)
                texts.append(None if bad else line)
                if len(numbers) == JSONL_CHUNK:
                    yield pa.record_batch([numbers, problems, texts], schema=schema)
                    numbers, problems, texts = [], [], []
        yield pa.record_batch([numbers, problems, texts], schema=schema)

    stage_json_lines(con, pa.RecordBatchReader.from_batches(schema, batches()), {k: theirs.get(k, k) for k in keys},
                     file.columns)


def file_staging(file: TableFile) -> Staging:
    """How :func:`~qatysu.crawlers.importers.load.import_file` stages a CSV or JSON Lines file."""
    if file.fmt == "csv":
        return Staging(lambda con: stage_csv_fast(con, file), lambda con: stage_csv_exact(con, file))
    keys = [c.name for c in file.columns]

    def jsonl(con: duckdb.DuckDBPyConnection) -> bool:
        stage_jsonl(con, file, keys)
        return True

    return Staging(jsonl, json_types=True)
