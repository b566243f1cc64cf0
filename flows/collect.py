"""The collect step: crawl one platform's sources (given, or the registered ones) into the warehouse.

Twisted's reactor runs once per process, so a caller that crawls more than once (the Prefect flow, one crawl per
platform and retry) runs each crawl through :func:`collect_in_child`, in a fresh process: a crash mid-crawl cannot
take the caller with it, and since ingestion is idempotent a retry stores nothing twice.
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from typing import Any

from qatysu.crawlers.progress import ProgressCallback
from qatysu.crawlers.run import SPIDERS, CrawlSummary, run_crawl
from qatysu.crawlers.settings import checked_overrides
from qatysu.flows.config import CollectConfig
from qatysu.warehouse import Warehouse
from qatysu.warehouse.crawls import registered_handles

NOTHING_TO_DO = "nothing to do"


def collect_step(
    wh: Warehouse,
    platform: str,
    params: CollectConfig,
    *,
    handles: list[str] | None = None,
    log_level: str = "WARNING",
    progress: ProgressCallback | None = None,
) -> CrawlSummary:
    """Crawl ``handles`` (default: the registered sources of ``platform``, else its spider's default sources) in
    this process; blocks until done. With no source at all, nothing is crawled and the summary's finish reason
    says so."""
    wh.require()  # before the crawl asks for the author key beside it
    settings = checked_overrides(wh, params.settings)
    if not handles:
        with wh.reader(live=True) as con:
            handles = registered_handles(con, platform) or list(SPIDERS[platform].default_handles)
    if not handles:
        return CrawlSummary(platform, 0, 0, 0, 0, NOTHING_TO_DO)
    return run_crawl(platform, wh, http_cache=params.http_cache,
                     overrides={"LOG_LEVEL": log_level, **settings}, progress=progress, handles=handles,
                     since=params.since, max_pages=params.max_pages, refresh=params.refresh,
                     **({"comments": True} if params.comments and platform == "telegram" else {}))


def _collect_here(db: str, platform: str, params: dict[str, Any]) -> dict[str, Any]:
    # This child may have imported Prefect, whose handlers sit on the root logger and would print Scrapy's DEBUG
    # lines; Scrapy installs its own root handler at the crawl's LOG_LEVEL.
    logging.getLogger().handlers.clear()
    return asdict(collect_step(Warehouse.at(db), platform, CollectConfig.model_validate(params)))


def collect_in_child(wh: Warehouse, platform: str, params: CollectConfig) -> CrawlSummary:
    """:func:`collect_step` in a freshly spawned process (see the module's docstring)."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        found = pool.submit(_collect_here, str(wh.path), platform, params.model_dump(mode="json")).result()
    return CrawlSummary(**found)
