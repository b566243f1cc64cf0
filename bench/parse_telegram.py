"""t.me/s parsing speed: real post texts from ../shared/corpora/ru_telegram_posts rendered as preview pages.

Each page holds 20 posts, as the live preview does, with views, reactions, signatures, replies, forwards and
media mixed in. Parsing runs on one core. Prints posts/s as the last line.
Run: python bench/parse_telegram.py [--posts N]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime
from pathlib import Path

from qatysu.crawlers.telegram_page import parse_channel_page
from qatysu.synthetic.telegram_render import RenderedPost, render_channel_page

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "ru_telegram_posts"
PER_PAGE = 20


def corpus_posts(limit: int) -> list[RenderedPost]:
    posts: list[RenderedPost] = []
    for path in sorted(CORPUS.glob("*_messages.json")):
        for i, m in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            posts.append(RenderedPost(
                post_id=m["message_id"],
                published_at=datetime.fromisoformat(m["date"]),
                text=m["text"] or None,
                views=1000 + 37 * i,
                reactions={"👍": i % 300, "🔥": i % 40} if i % 3 else {},
                signature="Редакция" if i % 5 == 0 else None,
                reply_to=m["message_id"] - 1 if i % 11 == 0 else None,
                reply_text="цитата" if i % 11 == 0 else None,
                forwarded_from="other_channel" if i % 13 == 0 else None,
                media=("photo",) if i % 4 == 0 else (),
            ))
            if len(posts) == limit:
                return posts
    return posts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=22_099)
    args = parser.parse_args()
    posts = corpus_posts(args.posts)
    pages = [
        render_channel_page("bench_channel", posts[i:i + PER_PAGE], subscribers=12345, before=posts[i].post_id)
        .encode() for i in range(0, len(posts), PER_PAGE)
    ]
    started = time.perf_counter()
    parsed = sum(len(parse_channel_page(page).posts) for page in pages)
    elapsed = time.perf_counter() - started
    assert parsed == len(posts), (parsed, len(posts))
    print(f"{len(pages)} pages, {parsed} posts, {sum(map(len, pages)) / 1e6:.1f} MB of HTML in {elapsed:.2f} s")
    print(f"parse_telegram: {parsed / elapsed:,.0f} posts/s (one core)")


if __name__ == "__main__":
    main()
