"""The item pipeline: posts go to the warehouse in batches, each batch in one transaction; petitions likewise,
through the checks and merge of ``qatysu import petitions`` (a bad one is logged, counted and left out).

Every run is recorded in ``crawl_runs``. A source's frontier advances only after its posts are
committed and the run closes, so a crawl killed midway is simply repeated up to the old frontier:
nothing is lost, and the idempotent upsert stores nothing twice.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import duckdb
from scrapy.crawler import Crawler

from qatysu.crawlers.importers.petitions import store_petitions
from qatysu.crawlers.items import SKIPPED_STAT, PetitionItem, SourceDone, SourceItem
from qatysu.warehouse import Warehouse, load_author_key, upsert_posts, upsert_sources
from qatysu.warehouse.crawls import advance_frontier, finish_run, start_run
from qatysu.warehouse.posts import UpsertResult

RUN_ID_STAT = "qatysu/run_id"  # the crawl_runs row of this crawl, whose counts the command reports


class WarehousePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.wh = Warehouse.at(crawler.settings["QATYSU_DB"])
        self.batch_size = crawler.settings.getint("QATYSU_BATCH_SIZE", 500)
        self.posts: list[dict[str, Any]] = []
        self.petitions: list[dict[str, str | None]] = []
        self.sources: list[SourceItem] = []
        self.done: list[SourceDone] = []
        self.run_id: str | None = None
        self.author_key = load_author_key(self.wh.author_key_path)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarehousePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        with self.wh.writer(publish=False) as con:
            self.run_id = start_run(con, spider.name, getattr(spider, "run_args", {}))
        self.crawler.stats.set_value(RUN_ID_STAT, self.run_id)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, SourceItem):
            self.sources.append(item)
        elif isinstance(item, SourceDone):
            self.done.append(item)
        elif isinstance(item, PetitionItem):
            self.petitions.append(item.record)
        else:
            self.posts.append(item)
        if max(len(self.posts), len(self.petitions)) >= self.batch_size:
            self.flush()
        return item

    def flush(self) -> None:
        if not self.posts and not self.sources and not self.petitions:
            return
        stats = self.crawler.stats
        with self.wh.writer(publish=False) as con:
            upsert_sources(con, [asdict(s) for s in self.sources])
            results = [upsert_posts(con, self.posts, author_key=self.author_key)]
            if self.petitions:
                results.append(self._store_petitions(con))
        stats.inc_value("qatysu/posts_new", sum(r.inserted for r in results))
        stats.inc_value("qatysu/posts_updated", sum(r.updated for r in results))
        self.posts, self.sources, self.petitions = [], [], []

    def _store_petitions(self, con: duckdb.DuckDBPyConnection) -> UpsertResult:
        """The batch's petitions through the petition import's checks and merge; a bad one is logged and counted
        as skipped, the others are written."""
        stored, bad = store_petitions(con, self.petitions, author_key=self.author_key)
        for b in bad:
            record = self.petitions[b.line - 1]
            self.crawler.spider.logger.warning("petition %s %s skipped: %s", record.get("platform"),
                                               record.get("petition_id") or record.get("url"), b.problem)
        self.crawler.stats.inc_value(SKIPPED_STAT, len(bad))
        return stored

    def close_spider(self) -> None:
        stats = self.crawler.stats
        reason = stats.get_value("finish_reason") or "finished"
        errors = stats.get_value("log_count/ERROR", 0)  # a spider's exception is logged as an error too
        try:
            self.flush()
        finally:
            with self.wh.writer(publish=True) as con:
                if reason == "finished":
                    for d in self.done:
                        if d.newest_post_id is not None:
                            advance_frontier(con, d.platform, d.handle, d.newest_post_id, self.run_id)
                finish_run(con, self.run_id, status="finished" if reason == "finished" else f"interrupted ({reason})",
                           posts_new=stats.get_value("qatysu/posts_new", 0),
                           posts_updated=stats.get_value("qatysu/posts_updated", 0), errors=errors,
                           skipped=stats.get_value(SKIPPED_STAT, 0), pages=stats.get_value("response_received_count", 0))
