"""Run bookkeeping: every step's run, with its parameters, counts, final status and the process that owns it.

Crawls and imports go to ``crawl_runs`` (:mod:`qatysu.warehouse.crawls`), analysis steps to ``analysis_runs``;
``v_runs`` shows both. A run is opened as ``running`` and closed by its own process. A process that is killed
(or whose machine stops) cannot close it, so each run also records its owner — process id, host and the
process's start time, since ids are reused — and a run whose owner is gone is marked ``abandoned`` by the next
run that starts and by ``qatysu runs``: ``running`` means a process is working on it now.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb

from qatysu.warehouse.queries import query

ABANDONED = "abandoned"
RUN_TABLES = ("crawl_runs", "analysis_runs")


@dataclass(frozen=True)
class Owner:
    """The process that runs a step."""

    pid: int
    host: str
    started: datetime | None  # when the process started, where the platform tells (Linux)

    @classmethod
    def this_process(cls) -> Owner:
        return cls(os.getpid(), socket.gethostname(), process_start(os.getpid()))

    def is_gone(self) -> bool:
        """True when the process has ended. A process on another host cannot be checked: it is taken as alive."""
        if self.host != socket.gethostname():
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:  # another user's process: it exists
            pass
        if _state(self.pid) in ("Z", "X"):  # ended, not yet reaped by its parent
            return True
        started = process_start(self.pid)
        return started is not None and self.started is not None and abs((started - self.started).total_seconds()) > 1

    def columns(self) -> dict[str, Any]:
        """The owner_* columns of a run row."""
        return {"owner_pid": self.pid, "owner_host": self.host, "owner_started": self.started}


def _stat_fields(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after "pid (name) " (the name may hold spaces and parentheses)."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2:].split()


def _state(pid: int) -> str | None:
    fields = _stat_fields(pid)
    return fields[0] if fields else None


@lru_cache(maxsize=1)
def _boot_time() -> float | None:
    try:
        for line in Path("/proc/stat").read_text().splitlines():
            if line.startswith("btime "):
                return float(line.split()[1])
    except OSError:
        pass
    return None


def process_start(pid: int) -> datetime | None:
    """When process ``pid`` started (from /proc on Linux; None elsewhere or when it is gone)."""
    fields, boot = _stat_fields(pid), _boot_time()
    if fields is None or boot is None:
        return None
    seconds = boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22, starttime, in clock ticks since boot
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def mark_abandoned(con: duckdb.DuckDBPyConnection) -> int:
    """Mark ``abandoned`` every running run whose process is gone (runs recorded without an owner, by
    versions that did not record one, included); return how many."""
    marked = 0
    for table in RUN_TABLES:
        rows = con.execute(
            f"SELECT run_id, owner_pid, owner_host, owner_started FROM {table} WHERE status = 'running'").fetchall()
        gone = [run_id for run_id, pid, host, started in rows if pid is None or Owner(pid, host, started).is_gone()]
        if gone:
            con.execute(f"UPDATE {table} SET status = ?, finished_at = now() WHERE run_id IN (SELECT unnest(?))",
                        [ABANDONED, gone])
            marked += len(gone)
    return marked


def start_analysis_run(con: duckdb.DuckDBPyConnection, step: str, params: dict[str, Any],
                       versions: dict[str, str]) -> str:
    """Record a run as ``running``, owned by this process, and return its id (``<step>-<12 hex digits>``).
    Runs left ``running`` by processes that are gone are marked ``abandoned`` first."""
    mark_abandoned(con)
    run_id = f"{step}-{uuid.uuid4().hex[:12]}"
    con.execute("INSERT INTO analysis_runs (run_id, step, started_at, status, params, versions, owner_pid, owner_host, "
                "owner_started) VALUES ($run_id, $step, now(), 'running', $params, $versions, $owner_pid, "
                "$owner_host, $owner_started)",
                {"run_id": run_id, "step": step, "params": json.dumps(params, ensure_ascii=False, default=str),
                 "versions": json.dumps(versions), **Owner.this_process().columns()})
    return run_id


def finish_analysis_run(con: duckdb.DuckDBPyConnection, run_id: str, status: str, *,
                        inputs: dict[str, Any] | None = None, outputs: dict[str, Any] | None = None) -> None:
    """Close a run with its status (``completed``, ``nothing to do``, ``failed: …`` or ``interrupted``) and counts."""
    con.execute("UPDATE analysis_runs SET finished_at = now(), status = ?, inputs = ?, outputs = ? WHERE run_id = ?",
                [status, json.dumps(inputs or {}, default=str), json.dumps(outputs or {}, default=str), run_id])


def failure_status(exc: BaseException) -> str:
    """The final status of a run its own process stopped with ``exc``: interrupted by the user or a signal,
    or failed with the error's first line."""
    if isinstance(exc, (KeyboardInterrupt, SystemExit)):
        return "interrupted"
    first = (str(exc).splitlines() or [""])[0]
    return f"failed: {type(exc).__name__}: {first}"[:500]


def list_runs(con: duckdb.DuckDBPyConnection, *, running: bool = False, limit: int = 50) -> tuple[list[str], list]:
    """Columns and rows of the latest runs of every step (only those running, with ``running``), newest first."""
    cursor = con.execute(query("runs_list"), {"running": running, "limit": limit})
    return [d[0] for d in cursor.description], cursor.fetchall()
