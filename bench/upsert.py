"""Upsert throughput: batches of 100,000 posts into a fresh warehouse, then the same batches again.

Prints rows/s for new posts, for re-collected posts (counter updates + metrics), and overall as the last line.
Run: python bench/upsert.py [--batches N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from qatysu.warehouse import Warehouse, init_warehouse, load_author_key, upsert_posts

BATCH = 100_000
WORDS = "выборы акимов явка петиция митинг маслихат сайлау қатысу тариф жилье пенсия экология".split()


def batch(number: int, views_bonus: int) -> list[dict]:
    base = datetime(2024, 1, 1, tzinfo=timezone.utc)
    start = number * BATCH
    return [
        {
            "platform": "telegram",
            "source": f"channel_{i % 200}",
            "post_id": i,
            "url": f"https://t.me/channel_{i % 200}/{i}",
            "published_at": base + timedelta(minutes=i),
            "text": f"Пост {i}: " + " ".join(WORDS[(i + k) % len(WORDS)] for k in range(30)),
            "author": f"user{i % 5000}" if i % 3 == 0 else None,
            "views": 1000 + i + views_bonus,
            "reactions": i % 17,
            "comments": None,
            "forwards": i % 7,
        }
        for i in range(start, start + BATCH)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batches", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wh = Warehouse.at(Path(tmp) / "bench.duckdb")
        init_warehouse(wh)
        key = load_author_key(wh.author_key_path)
        timings = {"new": 0.0, "known": 0.0}
        for phase, bonus in (("new", 0), ("known", 50)):
            for b in range(args.batches):
                rows = batch(b, bonus)
                with wh.writer(publish=False) as con:
                    started = time.perf_counter()
                    result = upsert_posts(con, rows, author_key=key)
                    timings[phase] += time.perf_counter() - started
                assert (result.inserted if phase == "new" else result.updated) == BATCH
        with wh.reader(live=True) as con:
            posts, metrics = con.execute("SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM post_metrics)").fetchone()
        rows = args.batches * BATCH
        print(f"warehouse: {posts} posts, {metrics} metric rows after {2 * args.batches} batches of {BATCH:,}")
        print(f"new posts:        {rows / timings['new']:,.0f} rows/s")
        print(f"re-collected:     {rows / timings['known']:,.0f} rows/s")
        print(f"upsert: {2 * rows / (timings['new'] + timings['known']):,.0f} rows/s (batches of {BATCH:,} posts)")


if __name__ == "__main__":
    main()
