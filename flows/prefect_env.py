"""Quiet Prefect defaults, set before Prefect is first imported: no telemetry, ``PREFECT_HOME`` in the
warehouse's data directory rather than ``~/.prefect``, and no server needed for a one-off run (Prefect then
starts a temporary local one). A user's own PREFECT_* settings win."""

from __future__ import annotations

import logging
import os
from pathlib import Path


def configure(data_dir: Path, *, log_level: str = "WARNING") -> None:
    defaults = {
        "PREFECT_HOME": str(data_dir / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": log_level,
        "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
        "PREFECT_LOGGING_LOG_PRINTS": "true",
        # the temporary server of a one-off run starts in ~15 s on a busy 2-core machine; Prefect waits 20 s
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
    # gensim's notes on loading its own files (the phrase models) are not for users; BERTopic's known notes
    # are filtered where it is used (models/topics/bertopic_fit.py).
    logging.getLogger("gensim").setLevel(logging.ERROR)


LOG_FILE_ENV = "QATYSU_LOG_FILE"
LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def log_to_file(path: Path | None = None) -> None:
    """Also write Prefect's and Qatysu's log records to ``path`` (appending), here and in the flow-run
    processes ``qatysu serve`` starts: they inherit the path through the environment and call this with no
    argument when the flows are imported. A service's log then survives the console it was started from."""
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.environ[LOG_FILE_ENV] = str(path)
    target = os.environ.get(LOG_FILE_ENV)
    if not target:
        return
    handler = logging.FileHandler(target, encoding="utf-8")
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.setLevel(logging.INFO)
    # on the root logger, where Prefect's loggers propagate (their levels stay as configured:
    # PREFECT_LOGGING_LEVEL); Prefect replaces the root's handlers when it sets up logging, so this is
    # called after Prefect is imported
    root = logging.getLogger()
    if not any(getattr(h, "baseFilename", None) == handler.baseFilename for h in root.handlers):
        root.addHandler(handler)
