"""Run bookkeeping: every analysis step's run in ``analysis_runs``, with its parameters, software versions,
counts and final status, so a researcher can tell which run produced a table and with what."""

from __future__ import annotations

import json
import uuid
from typing import Any

import duckdb


def start_analysis_run(con: duckdb.DuckDBPyConnection, step: str, params: dict[str, Any],
                       versions: dict[str, str]) -> str:
    """Record a run as ``running`` and return its id (``<step>-<12 hex digits>``)."""
    run_id = f"{step}-{uuid.uuid4().hex[:12]}"
    con.execute("INSERT INTO analysis_runs (run_id, step, started_at, status, params, versions) "
                "VALUES (?, ?, now(), 'running', ?, ?)",
                [run_id, step, json.dumps(params, ensure_ascii=False, default=str), json.dumps(versions)])
    return run_id


def finish_analysis_run(con: duckdb.DuckDBPyConnection, run_id: str, status: str, *,
                        inputs: dict[str, Any] | None = None, outputs: dict[str, Any] | None = None) -> None:
    """Close a run with its status (``completed``, ``nothing to do`` or ``failed: …``) and counts."""
    con.execute("UPDATE analysis_runs SET finished_at = now(), status = ?, inputs = ?, outputs = ? WHERE run_id = ?",
                [status, json.dumps(inputs or {}, default=str), json.dumps(outputs or {}, default=str), run_id])
