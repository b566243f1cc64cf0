"""Provenance: software versions recorded with every fit and run, and the ``analysis_runs`` record of a step."""

from __future__ import annotations

import platform
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from qatysu.warehouse import Warehouse
from qatysu.warehouse.runs import failure_status, finish_analysis_run, start_analysis_run

CORE = ("qatysu", "duckdb", "numpy", "spacy", "pymorphy3", "gensim")


def software_versions(*extra: str) -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in (*CORE, *extra):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


@contextmanager
def recorded_run(
    wh: Warehouse, step: str, params: dict[str, Any], libraries: tuple[str, ...] = ()
) -> Iterator[dict[str, Any]]:
    """Record a run in ``analysis_runs``: yields a dict the caller fills with ``inputs``, ``outputs`` and
    optionally ``status``; a failure is recorded as ``failed: <reason>`` (``interrupted`` for Ctrl-C) and raised
    again. A killed process cannot close its run: the next run marks it ``abandoned``."""
    with wh.writer(publish=False) as con:
        run_id = start_analysis_run(con, step, params, software_versions(*libraries))
    record: dict[str, Any] = {"run_id": run_id, "inputs": {}, "outputs": {}, "status": "completed"}
    try:
        yield record
    except BaseException as exc:
        with suppress(Exception), wh.writer() as con:  # the step's own error is the one to report
            finish_analysis_run(con, run_id, failure_status(exc), inputs=record["inputs"])
        raise
    with wh.writer() as con:
        finish_analysis_run(con, run_id, record["status"], inputs=record["inputs"], outputs=record["outputs"])
