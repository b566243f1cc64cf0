"""Named analytical queries: one ``.sql`` file each in this folder, named after what it returns.

Keeping SQL in files (as the migrations are) means a researcher can read, copy and run a query in DuckDB as it is,
and Python code asks for a query by name instead of carrying SQL strings. Parameters are DuckDB's ``$name`` or
``?`` placeholders, bound by the caller.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq


@cache
def query(name: str) -> str:
    """The text of ``<name>.sql``; a missing name is a programming error, raised as ``KeyError``."""
    entry = resources.files(__name__) / f"{name}.sql"
    if not entry.is_file():
        raise KeyError(f"no query named {name!r} in qatysu.warehouse.queries")
    return entry.read_text(encoding="utf-8")


def query_names() -> list[str]:
    """Every shipped query's name, for documentation and tests."""
    return sorted(e.name.removesuffix(".sql") for e in resources.files(__name__).iterdir() if e.name.endswith(".sql"))


def run_query(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | list[Any] | None = None
              ) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows of a named query."""
    cursor = con.execute(query(name), params) if params is not None else con.execute(query(name))
    return [d[0] for d in cursor.description], cursor.fetchall()


def query_to_parquet(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any], path: Path,
                     batch: int = 50_000) -> int:
    """Stream a named query's rows into a Parquet file, ``batch`` rows at a time (memory holds one batch);
    return the number of rows. Steps that read a large selection twice, or in pieces, read it from there
    instead of asking the warehouse again."""
    reader = con.execute(query(name), params).to_arrow_reader(batch)
    n = 0
    with pq.ParquetWriter(path, reader.schema) as writer:
        for part in reader:
            writer.write_batch(part)
            n += part.num_rows
    return n
