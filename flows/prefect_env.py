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
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
    # gensim's notes on loading its own files (the phrase models) are not for users; BERTopic's known notes
    # are filtered where it is used (models/topics/bertopic_fit.py).
    logging.getLogger("gensim").setLevel(logging.ERROR)
