"""The 22,099 real Telegram posts of ../shared/corpora/ru_telegram_posts (CC BY 4.0, not shipped) as the post
records ``warehouse.upsert_posts`` takes, for the benchmarks."""

from __future__ import annotations

import json
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "ru_telegram_posts"


def corpus_posts(limit: int | None = None) -> list[dict]:
    posts = [{"platform": "telegram", "source": str(-m["sender_id"]), "post_id": m["message_id"],
              "published_at": m["date"], "text": m["text"] or None}
             for path in sorted(CORPUS.glob("*_messages.json")) for m in json.loads(path.read_text("utf-8"))]
    return posts[:limit] if limit else posts
