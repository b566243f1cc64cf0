"""CSV import speed against DuckDB's own reader: 100,000 posts built from ../shared/corpora/ru_telegram_posts.

In each round, side by side: DuckDB's ``read_csv`` of the file into a table of a fresh database file (the
floor: parsing and storing, nothing checked), then ``qatysu import csv``'s code path into a fresh warehouse
(encoding detection, parsing, every row checked, source ids and the upsert into posts, sources and
post_metrics, the run recorded, the readers' snapshot published). Prints both medians and, last, the ratio.
Run: python bench/import.py [--posts N] [--rounds R]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from qatysu.crawlers.importers.load import import_file
from qatysu.crawlers.importers.tables import TableFile, file_staging
from qatysu.warehouse import Warehouse, init_warehouse
from qatysu.warehouse.post_import import FILE_COLUMNS

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shared_corpus import corpus_posts  # noqa: E402

HEADER = ["platform", "source", "post_id", "published_at", "text", "views", "reactions", "comments", "forwards",
          "region", "author", "url"]


def write_csv(path: Path, n: int) -> None:
    """``n`` posts: the shared corpus repeated under new ids, with counters, regions and URLs filled in."""
    posts = corpus_posts()
    regions = ["ВКО", "Алматы", "Шымкент", "Карагандинская область", ""]
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for i in range(n):
            p = posts[i % len(posts)]
            out.writerow(["telegram", p["source"], i, p["published_at"], p["text"] or "", 1000 + 7 * i, i % 300,
                          "", i % 40, regions[i % len(regions)], "", f"https://t.me/c/{p['source']}/{i}"])


def duckdb_read_csv(path: Path, work: Path) -> float:
    target = work / f"plain-{time.monotonic_ns()}.duckdb"
    start = time.perf_counter()
    con = duckdb.connect(str(target))
    con.execute("CREATE TABLE posts AS SELECT * FROM read_csv(?)", [str(path)])
    con.close()
    return time.perf_counter() - start


def qatysu_import(path: Path, work: Path, posts: int) -> float:
    wh = Warehouse.at(work / f"qatysu-{time.monotonic_ns()}.duckdb")
    init_warehouse(wh)
    start = time.perf_counter()
    summary = import_file(wh, file_staging(TableFile(path, "csv")), FILE_COLUMNS, name="import-csv",
                          args={"file": str(path)})
    elapsed = time.perf_counter() - start
    assert (summary.new, summary.skipped) == (posts, []), summary
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qatysu-bench-import-") as tmp:
        work = Path(tmp)
        path = work / "posts.csv"
        write_csv(path, args.posts)
        size = path.stat().st_size / 1e6
        plain, ours = [], []
        for _ in range(args.rounds):
            plain.append(duckdb_read_csv(path, work))
            ours.append(qatysu_import(path, work, args.posts))
        p, q = statistics.median(plain), statistics.median(ours)
        print(f"{args.posts:,} posts, {size:.0f} MB: DuckDB read_csv into a table {p:.2f} s; "
              f"qatysu import csv {q:.2f} s ({args.posts / q:,.0f} posts/s); medians of {args.rounds} rounds")
        print(f"ratio qatysu/DuckDB: {q / p:.2f}×")


if __name__ == "__main__":
    main()
