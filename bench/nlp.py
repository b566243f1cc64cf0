"""Processing speed: the 22,099 real posts of ../shared/corpora/ru_telegram_posts imported into a fresh warehouse
and run through `qatysu process`'s pipeline (its default: one analysis process per core; the timing covers
everything the step does, phrase training and the warehouse's reads and writes included), against spaCy's
blank("ru") with its built-in pymorphy3 lemmatizer (one process, as spaCy runs it).

The shared machine's speed drifts by a fifth from one minute to the next, so each pair measures the two sides
within seconds of each other: the Qatysu side on the whole corpus (about 6 s), then the naive side on one tenth of
the same texts (every tenth post, a different tenth each pair; about 6 s too). The naive side's rate does not
depend on how much it reads (spaCy's pymorphy3 mode parses every token afresh, with no cache), and its pipeline
reads a few texts before the timing starts. Ten pairs read every text once on each side; the median pair's ratio
is the figure, printed last.
Run: python bench/nlp.py [--posts N] [--pairs 10]
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as `python bench/nlp.py`, this file's directory comes first on sys.path and its name would hide
# the `nlp` package; take the directory off before importing anything of Qatysu.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import runpy  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import spacy  # noqa: E402

from qatysu.flows.config import ProcessConfig  # noqa: E402
from qatysu.flows.process import default_workers, process_posts  # noqa: E402
from qatysu.warehouse import Warehouse, init_warehouse, upsert_posts  # noqa: E402

# The benchmarks' shared corpus loader, by path (this directory is off sys.path).
corpus_posts = runpy.run_path(str(Path(__file__).with_name("shared_corpus.py")))["corpus_posts"]
TENTHS = 10  # the naive side of a pair reads every tenth text
WARM_UP = 20  # texts the naive pipeline reads before its timing starts

def naive_words_per_second(texts: list[str]) -> tuple[float, int]:
    nlp = spacy.blank("ru")
    nlp.add_pipe("lemmatizer", config={"mode": "pymorphy3"})
    nlp.initialize()
    for _ in nlp.pipe(texts[:WARM_UP]):  # first calls' costs out of the timing
        pass
    started = time.perf_counter()
    words = sum(sum(1 for t in doc if t.is_alpha) for doc in nlp.pipe(texts, batch_size=256))
    return words / (time.perf_counter() - started), words


def qatysu_words_per_second(posts: list[dict]) -> tuple[float, int, float]:
    """Words/s of the processing step on ``posts`` in a fresh warehouse (every form read cold), words, seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        wh = Warehouse.at(Path(tmp) / "bench.duckdb")
        init_warehouse(wh)
        with wh.writer() as con:
            for i in range(0, len(posts), 10_000):
                upsert_posts(con, posts[i:i + 10_000])
        started = time.perf_counter()
        process_posts(wh, ProcessConfig())
        elapsed = time.perf_counter() - started
        with wh.reader() as con:
            words = con.execute("SELECT sum(tokens) FROM post_lemmas").fetchone()[0]
    return words / elapsed, words, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=None)
    parser.add_argument("--pairs", type=int, default=TENTHS,
                        help="side-by-side measurements; the median ratio is the figure")
    args = parser.parse_args()
    posts = corpus_posts(args.posts)
    texts = [p["text"] or "" for p in posts]
    print(f"qatysu process: {len(posts)} posts with {default_workers()} analysis processes (normalise, language id, "
          "lemmas, stop words, regions, phrases, warehouse reads and writes); naive: spaCy blank('ru') + pymorphy3 "
          "lemmatizer, one process, one tenth of the same texts per pair")
    ratios = []
    for pair in range(args.pairs):
        ours, words, elapsed = qatysu_words_per_second(posts)
        tenth = pair % TENTHS
        naive, naive_words = naive_words_per_second(texts[tenth::TENTHS])
        ratios.append((ours / naive, ours, naive))
        print(f"pair {pair + 1}: qatysu {ours:,.0f} words/s ({words:,} words in {elapsed:.1f} s), "
              f"naive {naive:,.0f} words/s ({naive_words:,} words, tenth {tenth + 1}): {ours / naive:.1f}x")
    ratio, ours, naive = sorted(ratios)[(len(ratios) - 1) // 2]  # of an even number, the lower middle one
    print(f"nlp: {ours:,.0f} vs {naive:,.0f} words/s, ratio {ratio:.1f}x (the median of {len(ratios)} pairs)")


if __name__ == "__main__":
    main()
