"""The whole pipeline at scale: N posts (default 1,000,000) built from the real sentences of
../shared/corpora/ru_telegram_posts ("NKTKLN/telegram-news-classifier, CC BY 4.0"), every step run through the
``qatysu`` command in its own process, with its wall time and peak memory.

The posts are new combinations of the corpus's real sentences (1 to ~12 per post, heavy-tailed), from 400
channels spread over the 20 regions (channel sizes Zipf-like: a few big channels, many small ones), dated over
two years (July 2024 – June 2026, so the windows before the 2024 and 2026 referendums hold posts), with
engagement counters drawn as they behave: each channel has its own audience (log-normal), each post's views
scatter around it (log-normal), reactions, comments and forwards are negative-binomial counts on the views with
post-level rates, and some posts have no comment or forward counter. The file is JSON Lines, written in chunks
(never held whole in memory) and read by ``qatysu import jsonl`` as a user's export would be.

Then: init, import, process, topics (LDA, K = 20, and BERTopic, both on the Russian posts: the corpus is
Russian), markers, link, forecast, report (every format). Peak RSS is the largest sum of the resident memory of
the step's process and all its descendants (the analysis workers of ``process``, the topic assignment's), as
proportional set sizes polled from /proc every 0.2 s, so that pages a forked worker shares with its parent count
once: what the machine has to hold for the step. The table gives each step's wall time and that peak.
Run: python bench/scale.py [--posts N] [--work DIR] [--seed S]
Target: 1,000,000 posts end to end in ≤ 30 min on 2 cores, no step above 6 GiB. Last line: the end-to-end figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shared_corpus import CORPUS  # noqa: E402

SOURCES = 400
START = datetime(2024, 7, 1, tzinfo=timezone.utc)
END = datetime(2026, 7, 1, tzinfo=timezone.utc)
CHUNK = 20_000  # posts drawn and written at a time
POLL_S = 0.2
REGIONS = ["Абайская область", "Акмолинская область", "Актюбинская область", "Алматинская область",
           "Атырауская область", "Западно-Казахстанская область", "Жамбылская область", "Жетысуская область",
           "Карагандинская область", "Костанайская область", "Кызылординская область", "Мангистауская область",
           "Павлодарская область", "Северо-Казахстанская область", "Туркестанская область", "Улытауская область",
           "Восточно-Казахстанская область", "Астана", "Алматы", "Шымкент"]
_MARKUP = re.compile(r"\*\*|__|~~|`|\[([^\]]*)\]\([^)]*\)|https?://\S+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def sentences() -> list[str]:
    """The corpus's distinct sentences of 3 to 60 words, markup and links taken out (link texts kept)."""
    found: set[str] = set()
    for path in sorted(CORPUS.glob("*_messages.json")):
        for message in json.loads(path.read_text("utf-8")):
            text = _MARKUP.sub(lambda m: m.group(1) or "", message["text"] or "")
            for line in text.splitlines():
                for sentence in _SENTENCE_END.split(line.strip()):
                    if 3 <= len(sentence.split()) <= 60:
                        found.add(sentence.strip())
    return sorted(found)


def write_posts(path: Path, n: int, seed: int) -> None:
    """``n`` posts as JSON Lines, drawn chunk by chunk (see the module's docstring for what they look like)."""
    rng = np.random.default_rng(seed)
    pool = np.array(sentences(), dtype=object)
    size = 1 / np.arange(1, SOURCES + 1) ** 0.8  # channel shares, Zipf-like
    share = size / size.sum()
    audience = rng.lognormal(np.log(2000), 1.3, SOURCES)  # a channel's typical views
    reaction_rate = rng.beta(2, 60, SOURCES)  # channels differ in how readily readers react
    region = [REGIONS[i % len(REGIONS)] for i in rng.permutation(SOURCES)]
    span = (END - START).total_seconds()
    with path.open("w", encoding="utf-8") as fh:
        for start in range(0, n, CHUNK):
            m = min(CHUNK, n - start)
            src = rng.choice(SOURCES, size=m, p=share)
            lengths = np.minimum(rng.geometric(0.3, m), 12)
            picks = rng.integers(len(pool), size=int(lengths.sum()))
            ends = np.cumsum(lengths)
            when = START.timestamp() + np.sort(rng.uniform(0, span, m))
            views = np.round(audience[src] * rng.lognormal(0, 0.7, m)).astype(np.int64)
            rate = reaction_rate[src] * rng.lognormal(0, 0.5, m)
            reactions = rng.negative_binomial(2, 2 / (2 + views * rate))
            comments = rng.negative_binomial(1, 1 / (1 + views * rate * 0.1))
            forwards = rng.negative_binomial(1, 1 / (1 + views * 0.004 * rng.lognormal(0, 1, m)))
            counted = rng.random(m) > 0.1  # a tenth of the posts come without comment and forward counters
            lines = []
            for i in range(m):
                s = int(src[i])
                lines.append(json.dumps({
                    "platform": "telegram", "source": f"scale_{s:03d}", "post_id": start + i + 1,
                    "published_at": datetime.fromtimestamp(when[i], timezone.utc).isoformat(timespec="seconds"),
                    "text": " ".join(pool[picks[ends[i] - lengths[i]:ends[i]]]),
                    "views": int(views[i]), "reactions": int(reactions[i]),
                    "comments": int(comments[i]) if counted[i] else None,
                    "forwards": int(forwards[i]) if counted[i] else None,
                    "region": region[s]}, ensure_ascii=False))
            fh.write("\n".join(lines) + "\n")


def _tree_memory(root: int) -> int:
    """Bytes a process and all its descendants hold: the sum of their proportional set sizes (PSS, from
    /proc/<pid>/smaps_rollup; 0 for a process gone meanwhile). A forked worker shares its parent's pages until
    either writes them: the sum of RSS would count those pages once per process, PSS counts each page once."""
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                total += next(int(line.split()[1]) for line in fh if line.startswith("Pss:")) * 1024
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError, StopIteration):
            continue
    return total


@dataclass(frozen=True)
class Step:
    name: str
    seconds: float
    peak_bytes: int
    ok: bool
    said: str  # the step's last line of output


def run_step(name: str, args: list[str], db: Path, log: Path) -> Step:
    """One ``qatysu`` command in its own process, timed, its process tree's memory polled; its output goes to
    ``log``."""
    command = [sys.executable, "-m", "qatysu", *args, "--db", str(db)]
    with log.open("w", encoding="utf-8") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        peak = 0
        while child.poll() is None:
            peak = max(peak, _tree_memory(child.pid))
            time.sleep(POLL_S)
        seconds = time.perf_counter() - started
    lines = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    return Step(name, seconds, peak, child.returncode == 0, lines[-1] if lines else "")


def steps(posts_file: Path, report_dir: Path) -> list[tuple[str, list[str]]]:
    return [
        ("init", ["init"]),
        ("import", ["import", "jsonl", str(posts_file)]),
        ("process", ["process"]),
        ("topics lda", ["topics", "fit", "--method", "lda", "--lang", "ru", "--k", "20"]),
        ("topics bertopic", ["topics", "fit", "--method", "bertopic", "--lang", "ru"]),
        ("markers", ["markers", "score"]),
        ("link", ["link"]),
        ("forecast", ["forecast"]),
        ("report", ["report", "--out", str(report_dir)]),
    ]


def gib(n: float) -> str:
    return f"{n / 2 ** 30:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, help="keep the posts, warehouse, report and each step's output here "
                                                  "(default: a temporary folder, removed afterwards)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qatysu-bench-scale-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        posts_file, db = work / "posts.jsonl", work / "scale.duckdb"
        started = time.perf_counter()
        write_posts(posts_file, args.posts, args.seed)
        print(f"wrote {args.posts:,} posts ({posts_file.stat().st_size / 1e6:,.0f} MB of JSON Lines) in "
              f"{time.perf_counter() - started:.0f} s", flush=True)
        print(f"{'step':<16} {'wall s':>8} {'peak GiB':>9}  last line", flush=True)
        done: list[Step] = []
        for name, command in steps(posts_file, work / "report"):
            step = run_step(name, command, db, work / f"{name.replace(' ', '-')}.log")
            done.append(step)
            print(f"{step.name:<16} {step.seconds:>8.1f} {gib(step.peak_bytes):>9}  "
                  f"{'' if step.ok else 'FAILED: '}{step.said[:100]}", flush=True)
            if not step.ok:
                sys.exit(f"scale: {name} failed at {args.posts:,} posts: {step.said}")
    total = sum(s.seconds for s in done)
    print(f"scale: {args.posts} posts end-to-end in {total:.0f} s, peak RSS {gib(max(s.peak_bytes for s in done))} GiB")


if __name__ == "__main__":
    main()
