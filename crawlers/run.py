"""Running a spider in this process and summarising what it did."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from qatysu.crawlers.pipelines import RUN_ID_STAT
from qatysu.crawlers.progress import ProgressCallback
from qatysu.crawlers.settings import crawl_settings
from qatysu.crawlers.spiders.news import NewsSpider
from qatysu.crawlers.spiders.petitions import PetitionsSpider
from qatysu.crawlers.spiders.telegram import TelegramSpider
from qatysu.crawlers.spiders.vk import VkSpider
from qatysu.crawlers.spiders.youtube import YoutubeSpider
from qatysu.warehouse import Warehouse, WarehouseError
from qatysu.warehouse.crawls import run_counts
from qatysu.warehouse.privacy import install_secret_mask

SPIDERS = {"telegram": TelegramSpider, "vk": VkSpider, "youtube": YoutubeSpider, "news": NewsSpider,
           "petitions": PetitionsSpider}


@dataclass(frozen=True)
class CrawlSummary:
    spider: str
    pages: int
    posts_new: int
    posts_updated: int
    errors: int
    finish_reason: str
    skipped: int = 0


def run_crawl(
    spider: str,
    wh: Warehouse,
    *,
    http_cache: bool = False,
    overrides: dict[str, Any] | None = None,
    progress: ProgressCallback | None = None,
    **spider_args: Any,
) -> CrawlSummary:
    """Crawl with ``spider`` into ``wh``; blocks until done. Twisted allows one such run per process.

    ``progress`` is called with (pages, items, errors) as the crawl goes.
    """
    install_secret_mask()  # in this process, which may be a flow's child: no credential reaches a log line
    settings = get_project_settings()
    # Qatysu's defaults at project priority, so a spider's custom_settings (the API spiders' rate limits)
    # refine them and a user's --set overrides both.
    settings.setdict(crawl_settings(wh, http_cache=http_cache), priority="project")
    settings.setdict(overrides or {}, priority="cmdline")
    if progress:
        settings.set("QATYSU_PROGRESS", progress, priority="cmdline")
    process = CrawlerProcess(settings)  # Scrapy installs its root log handler (LOG_INSTALL_ROOT_HANDLER)
    crawler = process.create_crawler(SPIDERS[spider])
    process.crawl(crawler, **spider_args)
    process.start()
    stats = crawler.stats.get_stats()
    run_id = stats.get(RUN_ID_STAT)
    if run_id is None:  # the crawl stopped before its run was recorded
        raise WarehouseError(f"{spider} crawl did not start ({stats.get('finish_reason', 'see the errors above')})")
    with wh.reader(live=True) as con:
        stored = run_counts(con, run_id)
    return CrawlSummary(
        spider=spider,
        pages=stored["pages"],
        posts_new=stored["posts_new"],
        posts_updated=stored["posts_updated"],
        errors=stored["errors"],
        finish_reason=stats.get("finish_reason", "unknown"),
        skipped=stored["skipped"],
    )
