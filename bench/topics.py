"""Topic-model fitting time and peak memory: LDA and BERTopic on the 22,099 real posts of
../shared/corpora/ru_telegram_posts (processed into a fresh warehouse first) and on 100,000 posts resampled
from them. Each fit runs in its own process so its peak memory (max RSS) is its own.
Run: python bench/topics.py [--sizes 22099,100000] [--methods lda,bertopic]
Target: BERTopic on 100k posts in ≤ 5 min and ≤ 4 GB. Last line: that fit's figures.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as `python bench/topics.py`, this directory would come first on sys.path and hide the `models` package.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import json  # noqa: E402
import pickle  # noqa: E402
import resource  # noqa: E402
import runpy  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

def prepare(docs_file: Path) -> int:
    """Import and process the shared corpus; save its documents (lemmas with phrases joined)."""
    from qatysu.flows.config import ProcessConfig
    from qatysu.flows.process import process_posts
    from qatysu.flows.topics import load_documents
    from qatysu.warehouse import Warehouse, init_warehouse, upsert_posts
    from qatysu.warehouse.topic_store import CorpusFilter

    # the benchmarks' shared corpus loader, by path (this directory is off sys.path)
    posts = runpy.run_path(str(Path(__file__).with_name("shared_corpus.py")))["corpus_posts"]()
    wh = Warehouse.at(docs_file.parent / "bench.duckdb")
    init_warehouse(wh)
    with wh.writer() as con:
        upsert_posts(con, posts)
    process_posts(wh, ProcessConfig())
    _, docs = load_documents(wh, CorpusFilter("all"))
    docs_file.write_bytes(pickle.dumps(docs))
    return len(docs)


def fit_once(method: str, size: int, docs_file: Path) -> None:
    """One fit in this process; prints a JSON line with its time and peak memory."""
    from qatysu.flows.config import TopicsConfig, default
    from qatysu.models.topics import fit_bertopic, fit_lda

    docs = pickle.loads(docs_file.read_bytes())
    if size != len(docs):
        docs = [docs[i] for i in np.random.default_rng(0).choice(len(docs), size=size, replace=True)]
    started = time.perf_counter()
    seed = default(TopicsConfig, "seed")
    fit = fit_lda(docs, k=20, seed=seed, passes=2) if method == "lda" else fit_bertopic(docs, seed=seed)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2  # KiB → GiB
    print(json.dumps({"method": method, "posts": size, "seconds": elapsed, "peak_gib": peak, "topics": fit.k}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="22099,100000")
    parser.add_argument("--methods", default="lda,bertopic")
    parser.add_argument("--one", nargs=3, metavar=("METHOD", "SIZE", "DOCS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        fit_once(args.one[0], int(args.one[1]), Path(args.one[2]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        docs_file = Path(tmp) / "docs.pickle"
        started = time.perf_counter()
        n = prepare(docs_file)
        print(f"prepared {n} processed posts in {time.perf_counter() - started:.0f} s", flush=True)
        results = []
        for method in args.methods.split(","):
            for size in (int(s) for s in args.sizes.split(",")):
                size = min(size, n) if size == 22099 else size
                out = subprocess.run([sys.executable, __file__, "--one", method, str(size), str(docs_file)],
                                     capture_output=True, text=True, check=True)
                r = json.loads(out.stdout.strip().splitlines()[-1])
                results.append(r)
                print(f"{r['method']:>8} {r['posts']:>7,} posts: {r['seconds']:6.0f} s, peak {r['peak_gib']:.2f} GiB, "
                      f"{r['topics']} topics", flush=True)
    last = results[-1]
    print(f"topics: {last['method']} on {last['posts']:,} posts in {last['seconds']:.0f} s, "
          f"peak {last['peak_gib']:.2f} GiB (target ≤ 300 s, ≤ 4 GiB)")


if __name__ == "__main__":
    main()
