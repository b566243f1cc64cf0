"""Parquet export: posts partitioned by platform and month, every other table as one file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

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
