"""Helpers shared by the tests: posts made by hand or taken from the shared real corpus, the ``qatysu`` command
in a real process or in-process, and synthetic corpora stored as if processed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
# Rich sizes its tables from COLUMNS: wide enough that no value the tests look for is folded.
WIDE = {"COLUMNS": "200"}


def make_posts(n: int, *, start: int = 0, views: int | None = 100, source: str = "kz_news") -> list[dict]:
    base = datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)
    return [
        {
            "platform": "telegram",
            "source": source,
            "post_id": i,
            "url": f"https://t.me/{source}/{i}",
            "published_at": base + timedelta(hours=i),
            "text": f"Пост {i}: выборы акимов, явка и петиции",
            "views": None if views is None else views + i,
            "reactions": i % 5,
            "forwards": 1,
        }
        for i in range(start, start + n)
    ]


def shared_posts(n: int) -> list[dict]:
    """``n`` real posts with text from ../shared/corpora/ru_telegram_posts, taken in turn from every channel."""
    channels = [[m for m in json.loads(path.read_text(encoding="utf-8")) if m["text"]]
                for path in sorted((SHARED / "corpora" / "ru_telegram_posts").glob("*_messages.json"))]
    taken = [m for row in zip(*channels) for m in row][:n]
    return [{"platform": "telegram", "source": f"channel_{-m['sender_id']}", "post_id": m["message_id"],
             "published_at": m["date"], "text": m["text"], "views": m.get("views"),
             "forwards": m.get("forwards")} for m in taken]


@dataclass(frozen=True)
class Ran:
    """What a command left: its exit code and what it printed."""

    returncode: int
    stdout: str
    stderr: str


def run_qatysu(*args: str, env: dict | None = None, cwd: Path | None = None,
               timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the console command in a real process, as a user would: for entry points, exit codes, signals, and
    crawls (Twisted's reactor runs once per process)."""
    return subprocess.run(
        [sys.executable, "-m", "qatysu", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **WIDE, **(env or {})},
        cwd=cwd,
        timeout=timeout,
    )


def invoke(*args: str, env: dict | None = None) -> Ran:
    """Run the command in this process through its real entry point (``qatysu.cli.main``, error handling
    included), with the streams captured: the same result as :func:`run_qatysu` without starting Python."""
    from qatysu.cli import main

    runner = CliRunner()
    argv = sys.argv
    with runner.isolation(env={**WIDE, **(env or {})}) as streams:
        sys.argv = ["qatysu", *args]
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            sys.argv = argv
            sys.stdout.flush()
            sys.stderr.flush()
        out, err = streams[0].getvalue(), streams[1].getvalue()
    return Ran(code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))


REGIONS = ["KZ-10", "KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-27", "KZ-31", "KZ-33", "KZ-35", "KZ-39", "KZ-43",
           "KZ-47", "KZ-55", "KZ-59", "KZ-61", "KZ-62", "KZ-63", "KZ-71", "KZ-75", "KZ-79"]


def load_synthetic(wh, corpus) -> None:
    """Store a synthetic corpus with its true lemmas as the processing output (for tests of the statistics,
    which then need not wait for the text processing; tests of the whole path run ``process_posts``)."""
    from qatysu.synthetic.store import store_with_true_lemmas

    store_with_true_lemmas(wh, corpus)
