"""Kill drill: import, process, topics fit and crawl are killed (SIGKILL, with their worker processes) at random
moments of their work and run again; after each re-run the warehouse must hold every input post once, derived
tables as an uninterrupted run leaves them, and no run still marked running.

Input: real post texts from ../shared/corpora/ru_telegram_posts ("NKTKLN/telegram-news-classifier", CC BY 4.0),
spread over three channels: a CSV for the import, t.me/s pages served on 127.0.0.1 for the crawl, the same posts
imported for processing and topic fits. Each trial starts from a copy of a warehouse built once (empty,
imported, processed), runs the real ``qatysu`` command in its own process group, kills the group at a moment
drawn uniformly over the step's working time (as long as a clean run's, counted from the command's first write to
the warehouse: the recording of its run), runs the command again to completion, and checks:

- lost: input posts missing; duplicated: rows beyond one per input post;
- stale: derived rows that differ from a clean run's (process: lemmas, regions, phrases of every post; topics: a
  registered model without its folder, a model folder without its registered model, a half-written folder);
- left running: runs still marked running once every process has ended (the killed run must read abandoned).

A kill counts when it interrupted the run (the run reads abandoned after the re-run); one that lands after the
run was closed, while the process exits, is drawn again (its re-run is checked all the same).

Run: python bench/drill.py [--trials 24] [--posts 1500] [--import-posts 10000] [--seed 7]
Prints one line per step, and the totals last.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import duckdb

from qatysu.synthetic.preview_server import Channel, PreviewServer, PreviewSite
from qatysu.synthetic.telegram_render import RenderedPost

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "ru_telegram_posts"
CHANNELS = ("drill_news", "drill_region", "drill_akimat")
STEPS = ("import", "process", "topics", "crawl")
CRAWL = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=false", "--set", "QATYSU_BATCH_SIZE=60",
         "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=4"]
RUN_TIMEOUT_S = 600


@dataclass
class Tally:
    kills: int = 0
    lost: int = 0
    duplicated: int = 0
    stale: int = 0
    left_running: int = 0
    abandoned: int = 0
    missed: int = 0  # kills drawn again: the command ended first, or its run was already closed
    at: float = 0.0  # seconds into the run at which the kill landed
    notes: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("kills", "lost", "duplicated", "stale", "left_running", "abandoned", "missed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.notes += other.notes


def corpus_rows(n: int) -> list[dict]:
    """``n`` real posts with text, in turn from every corpus file, spread over the drill's channels."""
    files = [[m for m in json.loads(p.read_text(encoding="utf-8")) if m.get("text")]
             for p in sorted(CORPUS.glob("*_messages.json"))]
    taken = [m for row in zip(*files) for m in row][:n]
    if len(taken) < n:
        raise SystemExit(f"the shared corpus has only {len(taken)} posts with text in every file's turn")
    rows = []
    for i, m in enumerate(taken):
        rows.append({"platform": "telegram", "source": CHANNELS[i % len(CHANNELS)], "post_id": i // len(CHANNELS) + 1,
                     "published_at": m["date"], "text": m["text"], "views": m.get("views") or 0,
                     "forwards": m.get("forwards") or 0})
    return rows


def write_csv(rows: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def site_of(rows: list[dict]) -> PreviewSite:
    channels = {}
    for handle in CHANNELS:
        posts = [RenderedPost(post_id=r["post_id"], published_at=datetime.fromisoformat(r["published_at"]),
                              text=r["text"], views=r["views"]) for r in rows if r["source"] == handle]
        channels[handle] = Channel(handle, posts, title=handle, subscribers=1000)
    return PreviewSite(channels)


class Warehouses:
    """Warehouse folders (file, key, snapshot, data) copied whole for each trial."""

    def __init__(self, root: Path):
        self.root = root

    def copy(self, name: str, to: Path) -> Path:
        if to.exists():
            shutil.rmtree(to)
        shutil.copytree(self.root / name, to)
        return to / "qatysu.duckdb"


def qatysu(*args: str, db: Path) -> list[str]:
    return [sys.executable, "-m", "qatysu", *args, "--db", str(db)]


def run(cmd: list[str], env: dict[str, str]) -> float:
    """Run to completion; return its wall time. A failure stops the drill: the re-run itself must work."""
    started = time.monotonic()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[2:])} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return time.monotonic() - started


def work_time(db: Path, step: str) -> float:
    """How long the step's last recorded run took, from its start to its end."""
    table, name = ("crawl_runs", "spider") if step in ("import", "crawl") else ("analysis_runs", "step")
    wanted = {"import": "import-csv", "crawl": "telegram"}.get(step, step)
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(f"SELECT epoch(finished_at) - epoch(started_at) FROM {table} WHERE {name} = ? "
                           "ORDER BY started_at DESC LIMIT 1", [wanted]).fetchone()[0]


def _stamp(db: Path) -> tuple:
    wal = db.with_name(db.name + ".wal")
    return db.stat().st_mtime_ns, db.stat().st_size, wal.exists()


def kill_midway(cmd: list[str], env: dict[str, str], db: Path, delay: float) -> bool:
    """Start ``cmd`` in its own process group and SIGKILL the group ``delay`` seconds after it first writes to
    the warehouse (its run being recorded); False when it ended first. Timing from the first write rather than
    from the launch keeps the kills inside the step's work whatever its start-up time on a busy machine."""
    before = _stamp(db)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    while _stamp(db) == before:
        if proc.poll() is not None:
            return False
        time.sleep(0.005)
    try:
        proc.wait(timeout=max(0.0, delay))
        return False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return True


def derived(db: Path) -> dict[str, set]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            "post_lemmas": set(con.execute("SELECT post_uid, content_hash, lang, lemmas::VARCHAR FROM post_lemmas")
                               .fetchall()),
            "post_regions": set(con.execute("SELECT post_uid, region_code, method, evidence FROM post_regions")
                                .fetchall()),
            "post_phrases": set(con.execute("SELECT post_uid, lang, phrases::VARCHAR FROM post_phrases").fetchall()),
        }


def check(db: Path, step: str, expected: set[tuple[str, str]], reference: dict[str, set] | None) -> Tally:
    tally = Tally(kills=1)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT source_id, post_id FROM posts").fetchall()
        runs = Counter(status for (status,) in con.execute("SELECT status FROM v_runs").fetchall())
        models = dict(con.execute("SELECT model_id, path FROM topic_models").fetchall())
        unmodelled = con.execute("SELECT count(*) FROM topic_models m WHERE NOT EXISTS "
                                 "(SELECT 1 FROM doc_topics d WHERE d.model_id = m.model_id)").fetchone()[0]
    stored = Counter(rows)
    tally.lost = len(expected - set(stored))
    tally.duplicated = sum(n - 1 for n in stored.values()) + len(set(stored) - expected)
    tally.left_running = runs.get("running", 0)
    tally.abandoned = runs.get("abandoned", 0)
    if reference is not None:
        now = derived(db)
        for table, rows_now in now.items():
            differing = len(rows_now ^ reference[table])
            if differing:
                tally.notes.append(f"{step}: {differing} rows of {table} differ from a clean run")
            tally.stale += differing
    if step == "topics":
        folder = db.parent / "qatysu-data" / "models"
        on_disk = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
        missing = [m for m, path in models.items() if not Path(path).is_dir()]
        extra = on_disk - set(models)
        tally.stale += len(missing) + len(extra) + unmodelled
        if missing or extra or unmodelled:
            tally.notes.append(f"topics: models without folder {missing}, folders without model {sorted(extra)}, "
                               f"{unmodelled} models without document topics")
    return tally


@dataclass
class Step:
    name: str
    base: str  # the warehouse a trial starts from
    args: tuple[str, ...]
    reference: dict[str, set] | None = None
    work: float = 1.0  # seconds from its run's start to its end, on a clean run


ATTEMPTS = 8  # kills drawn per trial before giving up on landing one inside the run


def step_trial(step: Step, bases: Warehouses, trial_dir: Path, env: dict[str, str], rng: random.Random,
               expected: set[tuple[str, str]]) -> Tally:
    """One kill that interrupts the step's run, then the re-run and the checks. A kill that lands after the run
    was closed (the process was exiting), or a command that ends before it, is drawn again: it tests nothing new;
    its re-run is checked all the same."""
    tally = Tally()
    for _attempt in range(ATTEMPTS):
        db = bases.copy(step.base, trial_dir)
        at = rng.uniform(0.0, step.work)
        if not kill_midway(qatysu(*step.args, db=db), env, db, at):
            tally.missed += 1
            continue
        run(qatysu(*step.args, db=db), env)
        checked = check(db, step.name, expected, step.reference)
        if checked.abandoned:  # the killed run was caught midway
            tally.add(checked)
            tally.at = at
            return tally
        tally.missed += 1
        tally.add(replace(checked, kills=0))
    raise SystemExit(f"{step.name}: no kill of {ATTEMPTS} landed inside the run; the clean run was much slower than "
                     "the trials")


def drill(workdir: Path, trials: int, posts: int, import_posts: int, seed: int,
          progress=lambda line: None) -> dict[str, Tally]:
    """Build the base warehouses, run ``trials`` kills spread over the steps, return a tally per step."""
    rng = random.Random(seed)
    rows = corpus_rows(max(posts, import_posts))
    small, large = rows[:posts], rows[:import_posts]
    write_csv(small, workdir / "posts.csv")
    write_csv(large, workdir / "import.csv")
    env = {**os.environ, "COLUMNS": "200"}
    bases = Warehouses(workdir / "bases")

    def base(name: str, frm: str | None, cmd: tuple[str, ...] = ()) -> Path:
        target = workdir / "bases" / name
        db = bases.copy(frm, target) if frm else target / "qatysu.duckdb"
        target.mkdir(parents=True, exist_ok=True)
        if not frm:
            run(qatysu("init", db=db), env)
        if cmd:
            run(qatysu(*cmd, db=db), env)
        return db

    base("fresh", None)
    site = site_of(small)
    with PreviewServer(site) as url:
        env["QATYSU_TELEGRAM_BASE_URL"] = url
        steps = {}
        import_args = ("import", "csv", str(workdir / "import.csv"))
        db = base("import-clean", "fresh", import_args)
        steps["import"] = Step("import", "fresh", import_args, work=work_time(db, "import"))
        crawl_args = ("crawl", "telegram", *CHANNELS, *CRAWL)
        db = base("crawl-clean", "fresh", crawl_args)
        steps["crawl"] = Step("crawl", "fresh", crawl_args, work=work_time(db, "crawl"))
        base("imported", "fresh", ("import", "csv", str(workdir / "posts.csv")))
        db = base("processed", "imported", ("process",))
        steps["process"] = Step("process", "imported", ("process",), reference=derived(db),
                                work=work_time(db, "process"))
        topic_args = ("topics", "fit", "--method", "lda", "--k", "5", "--lang", "ru")
        db = base("topics-clean", "processed", topic_args)
        steps["topics"] = Step("topics", "processed", topic_args, work=work_time(db, "topics"))
        progress("clean runs: " + ", ".join(f"{name} works {step.work:.1f} s" for name, step in steps.items()))

        expected = {"import": {(f"telegram:{r['source']}", str(r["post_id"])) for r in large}}
        expected_small = {(f"telegram:{r['source']}", str(r["post_id"])) for r in small}
        tallies = {name: Tally() for name in STEPS}
        for i in range(trials):
            step = steps[STEPS[i % len(STEPS)]]
            tally = step_trial(step, bases, workdir / "trial", env, rng, expected.get(step.name, expected_small))
            tallies[step.name].add(tally)
            progress(f"trial {i + 1}/{trials}: {step.name} killed {tally.at:.2f} s into its run "
                     f"({tally.missed} drawn again); lost {tally.lost}, duplicated {tally.duplicated}, "
                     f"stale {tally.stale}, left running {tally.left_running}")
    return tallies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=24, help="kills in all, spread evenly over the steps")
    parser.add_argument("--posts", type=int, default=1500, help="posts crawled, processed and modelled")
    parser.add_argument("--import-posts", type=int, default=10_000, help="posts of the imported CSV")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qatysu-drill-") as tmp:
        tallies = drill(Path(tmp), args.trials, args.posts, args.import_posts, args.seed,
                        progress=lambda line: print(line, flush=True))
    total = Tally()
    for name, tally in tallies.items():
        total.add(tally)
        print(f"{name}: {tally.kills} kills inside its run ({tally.missed} drawn again), {tally.lost} lost, "
              f"{tally.duplicated} duplicated, {tally.stale} stale, {tally.left_running} left running, "
              f"{tally.abandoned} killed runs marked abandoned")
    for note in total.notes:
        print("  " + note)
    print(f"drill: {total.kills} kills over import, process, topics fit and crawl: {total.lost} lost, "
          f"{total.duplicated} duplicated, {total.stale} stale, {total.left_running} left running")


if __name__ == "__main__":
    main()
