"""Processing on a Dask cluster: real Russian posts of ../shared/corpora/ru_telegram_posts imported into a fresh
warehouse and run through `qatysu process --dask` (the processing step with prefect-dask's DaskTaskRunner) on a
`distributed.LocalCluster` of 1, 2 and 4 worker processes (one thread each), each on its own copy of the same
warehouse. The timing covers the whole step (the writer's reads and writes and phrase training included), not
the cluster's start nor the workers' first loading of the lemmatisers (a warm-up run does that). Prints words/s
per worker count; the last line compares 2 workers with 1.
Run: python bench/dask_process.py [--posts N] [--workers 1,2,4]
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as `python bench/dask_process.py`, this file's directory comes first on sys.path and its name would hide
# the `nlp` package; take the directory off before importing anything of Qatysu.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import os  # noqa: E402
import runpy  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from qatysu.warehouse import Warehouse, init_warehouse, upsert_posts  # noqa: E402

corpus_posts = runpy.run_path(str(Path(__file__).with_name("shared_corpus.py")))["corpus_posts"]


def timed_run(template: Warehouse, tmp: Path, address: str, name: str) -> tuple[float, int]:
    from qatysu.flows.pipeline import process_step

    wh = Warehouse.at(tmp / name / template.path.name)
    wh.path.parent.mkdir()
    shutil.copy(template.path, wh.path)
    started = time.perf_counter()
    process_step(wh, address)
    elapsed = time.perf_counter() - started
    with wh.reader() as con:
        words = con.execute("SELECT sum(tokens) FROM post_lemmas").fetchone()[0]
    return elapsed, words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=8000)
    parser.add_argument("--workers", default="1,2,4")
    args = parser.parse_args()
    from distributed import LocalCluster

    from qatysu.flows.prefect_env import configure

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        configure(tmp / "prefect-data")
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "ERROR")
        template = Warehouse.at(tmp / "template.duckdb")
        init_warehouse(template)
        with template.writer() as con:
            upsert_posts(con, corpus_posts(args.posts))
        rates = {}
        for n in (int(x) for x in args.workers.split(",")):
            with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                              dashboard_address=None) as cluster:
                timed_run(template, tmp, cluster.scheduler_address, f"warm-{n}")  # workers load the lemmatisers
                elapsed, words = timed_run(template, tmp, cluster.scheduler_address, f"run-{n}")
            rates[n] = words / elapsed
            print(f"{n} Dask worker(s): {words:,} words in {elapsed:.1f} s = {rates[n]:,.0f} words/s "
                  f"(cpus here: {os.cpu_count()})", flush=True)
    if 1 in rates and 2 in rates:
        print(f"2 workers / 1 worker: {rates[2] / rates[1]:.2f}x; "
              + ", ".join(f"{n}: {r:,.0f} words/s" for n, r in rates.items()))


if __name__ == "__main__":
    main()
