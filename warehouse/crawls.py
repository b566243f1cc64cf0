"""Crawl bookkeeping: one ``crawl_runs`` row per crawl or import run, and the per-source frontier of complete
crawls."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

import duckdb

from qatysu.warehouse.posts import source_id_for
from qatysu.warehouse.runs import Owner, mark_abandoned

# Never written to the warehouse, whatever a caller passes as run arguments.
_SECRET_WORDS = ("token", "key", "secret", "password")


def _public_args(args: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in args.items() if not any(w in k.lower() for w in _SECRET_WORDS)}


def start_run(con: duckdb.DuckDBPyConnection, spider: str, args: Mapping[str, Any]) -> str:
    """Record a crawl or import as ``running``, owned by this process (see :mod:`qatysu.warehouse.runs`); runs
    left ``running`` by processes that are gone are marked ``abandoned`` first."""
    mark_abandoned(con)
    run_id = uuid.uuid4().hex
    con.execute(
        """INSERT INTO crawl_runs (run_id, spider, started_at, status, args, owner_pid, owner_host, owner_started)
           VALUES ($run_id, $spider, now(), 'running', $args, $owner_pid, $owner_host, $owner_started)""",
        {"run_id": run_id, "spider": spider, "args": json.dumps(_public_args(args), ensure_ascii=False, default=str),
         **Owner.this_process().columns()},
    )
    return run_id


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, *, status: str, posts_new: int, posts_updated: int,
               errors: int, skipped: int = 0, pages: int | None = None) -> None:
    """Close a run with the counts the command prints (``items`` is new + updated posts); ``skipped`` counts what
    it could not read (page messages, file rows), apart from errors."""
    con.execute(
        """UPDATE crawl_runs SET finished_at = now(), status = ?, items = ?, errors = ?, skipped = ?, pages = ?,
                  posts_new = ?, posts_updated = ? WHERE run_id = ?""",
        [status, posts_new + posts_updated, errors, skipped, pages, posts_new, posts_updated, run_id],
    )


def run_counts(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, Any]:
    """The stored status and counts of a crawl run: what the command reports."""
    cursor = con.execute("SELECT status, pages, posts_new, posts_updated, errors, skipped FROM crawl_runs "
                         "WHERE run_id = ?", [run_id])
    return dict(zip([d[0] for d in cursor.description], cursor.fetchone()))


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
