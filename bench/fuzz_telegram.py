"""Fuzzing the t.me/s parser with seeded random mutations of the saved real pages in tests/pages/telegram/.

Each input is a real page with one to four operations applied (a hostile date, post id, counter, cursor or
link; the body cut short; slices deleted or repeated; invalid bytes or thousands of nested tags inserted;
closing tags dropped). An input "escapes" when the parser raises or returns a record the warehouse cannot
store. Prints pages/s, then the number of escapes out of the inputs as the last line.
Run: python bench/fuzz_telegram.py [--inputs N] [--seed S]
"""

from __future__ import annotations

import argparse
import logging
import random
import time
import traceback
from datetime import datetime
from pathlib import Path

from qatysu.crawlers.telegram_page import parse_channel_page
from qatysu.synthetic.page_mutations import apply, random_ops
from qatysu.warehouse.validation import MAX_COUNT, plausible_time

PAGES = Path(__file__).resolve().parents[1] / "tests" / "pages" / "telegram"


def storable(post: dict) -> bool:
    fields_ok = all(post[f] is None or isinstance(post[f], str) and post[f].encode("utf-8", "strict")
                    for f in ("source", "text", "author", "forwarded_from", "reply_to", "url"))
    counters_ok = all(post[c] is None or 0 <= post[c] <= MAX_COUNT for c in ("views", "reactions"))
    return (fields_ok and counters_ok and 0 <= post["post_id"] < 10**18
            and isinstance(post["published_at"], datetime) and plausible_time(post["published_at"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    logging.getLogger("qatysu.crawlers.telegram_page").setLevel(logging.ERROR)  # one line per skipped message
    bodies = [p.read_bytes() for p in sorted(PAGES.rglob("*.html"))]
    rng = random.Random(args.seed)
    escaped = posts = skipped = 0
    start = time.perf_counter()
    for n in range(args.inputs):
        body = apply(rng.choice(bodies), random_ops(rng))
        try:
            page = parse_channel_page(body)
            bad = [p for p in page.posts if not storable(p)]
        except Exception:
            escaped += 1
            if escaped <= 3:
                print(f"input {n} escaped:\n{traceback.format_exc()}")
            continue
        escaped += bool(bad)
        posts += len(page.posts)
        skipped += page.skipped
    elapsed = time.perf_counter() - start
    print(f"{args.inputs:,} mutated pages of {len(bodies)} real ones: {posts:,} posts read, {skipped:,} messages "
          f"skipped as unreadable, {args.inputs / elapsed:,.0f} pages/s")
    print(f"escaped: {escaped} of {args.inputs:,}")


if __name__ == "__main__":
    main()
