"""The processing step: stream unprocessed posts from the warehouse, analyse them, store the results.

Posts are read and written in batches with short write connections, so a researcher's queries and other
flows are never held up for long, and a run that stops midway resumes where it stopped. After new posts
are processed, the phrase model of each language is retrained on all stored lemmas and applied again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from nlp.phrases import PhraseModel
from nlp.pipeline import analyze, lemmatize_phrase
from nlp.regions import RegionMatcher
from warehouse import Warehouse
from warehouse.nlp_store import count_pending, lemma_lists, pending_posts, store_phrases, store_processed

PHRASE_LANGS = ("ru", "kk")


@dataclass(frozen=True)
class ProcessSummary:
    processed: int
    by_lang: dict[str, int]
    regions: int
    phrases: dict[str, int]


def region_matcher(con) -> RegionMatcher:
    rows = con.execute("SELECT alias, region_code, alias_kind FROM region_aliases").fetchall()
    return RegionMatcher(rows, lemmatize_phrase)


def process_posts(
    wh: Warehouse,
    *,
    since: datetime | None = None,
    reprocess: bool = False,
    batch_size: int = 2000,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> ProcessSummary:
    started = datetime.now(timezone.utc)
    reprocess_before = started if reprocess else None
    with wh.writer(publish=False) as con:
        total = count_pending(con, since=since, reprocess_before=reprocess_before)
        matcher = region_matcher(con)
    done, regions, by_lang = 0, 0, {}
    progress(0, total)
    while True:
        with wh.writer(publish=False) as con:
            batch = pending_posts(con, batch_size, since=since, reprocess_before=reprocess_before)
        if not batch:
            break
        lemma_rows, region_rows = [], []
        for post, a in zip(batch, analyze(p.text or "" for p in batch)):
            words, content = a.word_lemmas, a.content_lemmas
            lemma_rows.append({
                "post_uid": post.post_uid, "content_hash": post.content_hash, "lang": a.lang,
                "lemmas": content, "tokens": len(words), "content_tokens": len(content),
                "hashtags": a.normalized.hashtags, "mentions": a.normalized.mentions, "urls": a.normalized.urls,
                "emoji": a.normalized.emoji,
            })
            for m in matcher.find(words):
                region_rows.append({"post_uid": post.post_uid, "region_code": m.region_code,
                                    "confidence": m.confidence,
                                    "evidence": m.matched + (f" ({m.note})" if m.note else "")})
            by_lang[a.lang] = by_lang.get(a.lang, 0) + 1
        with wh.writer(publish=False) as con:
            store_processed(con, lemma_rows, region_rows, datetime.now(timezone.utc))
        done += len(batch)
        regions += len(region_rows)
        progress(done, total)
    phrases = retrain_phrases(wh) if done else {}
    wh.publish_snapshot()
    return ProcessSummary(done, by_lang, regions, phrases)


def retrain_phrases(wh: Warehouse) -> dict[str, int]:
    """Retrain each language's phrase model on every stored post, save it, and store each post's phrases."""
    found = {}
    for lang in PHRASE_LANGS:
        with wh.writer(publish=False) as con:
            posts = list(lemma_lists(con, lang))
        if len(posts) < 50:
            continue
        model = PhraseModel.train(lemmas for _, lemmas in posts)
        model.save(wh.data_dir / "phrases" / lang)
        results = [(uid, model.phrases_in(lemmas)) for uid, lemmas in posts]
        with wh.writer(publish=False) as con:
            store_phrases(con, lang, results)
        found[lang] = len({p for _, ps in results for p in ps})
    return found
