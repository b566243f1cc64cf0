"""Crawl bookkeeping: one ``crawl_runs`` row per run, and the per-source frontier of complete crawls."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

import duckdb

from qatysu.warehouse.posts import source_id_for

# Never written to the warehouse, whatever a caller passes as run arguments.
_SECRET_WORDS = ("token", "key", "secret", "password")


def _public_args(args: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in args.items() if not any(w in k.lower() for w in _SECRET_WORDS)}


def start_run(con: duckdb.DuckDBPyConnection, spider: str, args: Mapping[str, Any]) -> str:
    run_id = uuid.uuid4().hex
    con.execute(
        "INSERT INTO crawl_runs (run_id, spider, started_at, status, args) VALUES (?, ?, now(), 'running', ?)",
        [run_id, spider, json.dumps(_public_args(args), ensure_ascii=False, default=str)],
    )
    return run_id


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, *, status: str, items: int, errors: int,
               skipped: int = 0) -> None:
    """Close a run; ``skipped`` counts what it could not read (page messages, file rows), apart from errors."""
    con.execute(
        "UPDATE crawl_runs SET finished_at = now(), status = ?, items = ?, errors = ?, skipped = ? WHERE run_id = ?",
        [status, items, errors, skipped, run_id],
    )


def frontier(con: duckdb.DuckDBPyConnection, platform: str, handle: str) -> int | None:
    row = con.execute(
        "SELECT newest_post_id FROM crawl_frontier WHERE source_id = ?", [source_id_for(platform, handle)]
    ).fetchone()
    return row[0] if row else None


def advance_frontier(con: duckdb.DuckDBPyConnection, platform: str, handle: str, newest: int, run_id: str) -> None:
    con.execute(
        """INSERT INTO crawl_frontier VALUES (?, ?, ?, now())
           ON CONFLICT (source_id) DO UPDATE SET
               newest_post_id = greatest(crawl_frontier.newest_post_id, excluded.newest_post_id),
               run_id = excluded.run_id, completed_at = excluded.completed_at""",
        [source_id_for(platform, handle), newest, run_id],
    )


def registered_handles(con: duckdb.DuckDBPyConnection, platform: str) -> list[str]:
    """Handles of the sources registered for a platform, the default of a crawl."""
    return [h for (h,) in con.execute("SELECT handle FROM sources WHERE platform = ? ORDER BY handle",
                                      [platform]).fetchall()]
