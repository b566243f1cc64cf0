"""Staging files to import inside DuckDB: every value as text, checked by :mod:`.validation` before any write.

A staged table has one VARCHAR column per column of the file, ``__problem`` (what makes the whole record
unreadable, else NULL) and, where the reader knows it, ``__line`` (the file line the record starts on). Clean
CSV files are read by DuckDB's own parallel reader; files it rejects are staged from the exact reader in
``crawlers.importers`` as an Arrow table. JSON Lines are staged line by line and unpacked here with DuckDB's
JSON functions, so no row goes through Python one by one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb
import pyarrow as pa

from qatysu.warehouse.validation import LINE, PROBLEM, Column, ident, literal, prepared_select

STAGED = "_staged"
# A record may hold a post of megabytes; DuckDB's default stops at 2 MB. Its read buffer must be twice as large,
# and a larger buffer splits a file into fewer parallel scans: 16 MB fits a post of 10 MB and keeps DuckDB fast.
# A longer record is rejected here and read by the exact reader, which has no limit.
MAX_LINE_BYTES = 16 << 20


def stage_csv(con: duckdb.DuckDBPyConnection, path: Path, header: Sequence[str], delimiter: str,
              columns: Sequence[Column]) -> bool:
    """Let DuckDB read ``path`` (UTF-8) into :data:`STAGED`; False when it rejected any record or byte.

    The header was read before: its names are the columns, all VARCHAR, so no value is guessed into a type.
    Line numbers are not kept here: a file with any problem is staged again by the exact reader.
    """
    types = "{" + ", ".join(f"{literal(name)}: 'VARCHAR'" for name in header) + "}"
    try:
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE {STAGED} AS
                SELECT NULL::BIGINT AS {LINE}, NULL::VARCHAR AS {PROBLEM}, *{prepared_select(columns, header)}
                FROM read_csv(?, header = true, delim = ?, quote = '"', escape = '"', auto_detect = false,
                              columns = {types}, strict_mode = true, null_padding = false,
                              store_rejects = true, rejects_table = '_rejects', rejects_scan = '_reject_scans',
                              max_line_size = {MAX_LINE_BYTES}, buffer_size = {2 * MAX_LINE_BYTES})""",
            [str(path), delimiter],
        )
        rejected = con.execute("SELECT count(*) FROM _rejects").fetchone()[0]
    except duckdb.Error:
        return False
    finally:
        con.execute("DROP TABLE IF EXISTS _rejects")
        con.execute("DROP TABLE IF EXISTS _reject_scans")
    return rejected == 0


def stage_table(con: duckdb.DuckDBPyConnection, table: pa.Table, columns: Sequence[Column]) -> None:
    """Stage an Arrow table read by Python (``__line``, ``__problem`` and text columns) as :data:`STAGED`."""
    con.register("_arrow_rows", table)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {STAGED} AS "
                    f"SELECT *{prepared_select(columns, table.column_names)} FROM _arrow_rows")
    finally:
        con.unregister("_arrow_rows")


def stage_json_lines(con: duckdb.DuckDBPyConnection, lines: pa.Table | pa.RecordBatchReader,
                     keys: Mapping[str, str], columns: Sequence[Column]) -> None:
    """Stage JSON Lines: ``lines`` holds ``__line``, ``__problem`` and ``json`` (one line's text; a stream of
    batches is read once, as it comes). ``keys`` maps
    each column to stage to the key it has in the file; it gets the value as text, and ``__type_<column>``
    its JSON type."""
    paths = "[" + ", ".join(literal('$."' + k.replace("\\", "\\\\").replace('"', '\\"') + '"')
                            for k in keys.values()) + "]"
    values = ", ".join(f"v[{i}] AS {ident(k)}" for i, k in enumerate(keys, start=1))
    types = ", ".join(f"t[{i}] AS {ident('__type_' + k)}" for i, k in enumerate(keys, start=1))
    con.register("_json_lines", lines)
    try:
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE {STAGED} AS
                WITH parsed AS (SELECT {LINE}, {PROBLEM}, TRY_CAST(json AS JSON) AS j, json FROM _json_lines),
                objects AS (
                    SELECT {LINE},
                           coalesce({PROBLEM}, CASE WHEN json IS NULL OR trim(json) = '' THEN NULL
                                                    WHEN j IS NULL THEN 'not valid JSON'
                                                    WHEN json_type(j) <> 'OBJECT' THEN 'not a JSON object' END)
                               AS {PROBLEM},
                           CASE WHEN json_type(j) = 'OBJECT' THEN json_extract_string(j, {paths}) END AS v,
                           CASE WHEN json_type(j) = 'OBJECT' THEN json_type(j, {paths}) END AS t
                    FROM parsed
                    WHERE json IS NOT NULL AND trim(json) <> '')
                SELECT *{prepared_select(columns, keys)}
                FROM (SELECT {LINE}, {PROBLEM}, {values}, {types} FROM objects)"""
        )
    finally:
        con.unregister("_json_lines")


def times_in_utc(con: duckdb.DuckDBPyConnection) -> None:
    """A time written without a zone in a file is UTC (not the zone of the machine importing it)."""
    con.execute("SET TimeZone = 'UTC'")


def drop_staged(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"DROP TABLE IF EXISTS {STAGED}")
