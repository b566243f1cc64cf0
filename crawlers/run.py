"""Running a spider in this process and summarising what it did."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from qatysu.crawlers.items import SKIPPED_STAT
from qatysu.crawlers.progress import ProgressCallback
from qatysu.crawlers.settings import crawl_settings
from qatysu.crawlers.spiders.news import NewsSpider
from qatysu.crawlers.spiders.telegram import TelegramSpider
from qatysu.crawlers.spiders.vk import VkSpider
from qatysu.crawlers.spiders.youtube import YoutubeSpider
from qatysu.warehouse import Warehouse

SPIDERS = {"telegram": TelegramSpider, "vk": VkSpider, "youtube": YoutubeSpider, "news": NewsSpider}


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
    return CrawlSummary(
        spider=spider,
        pages=stats.get("response_received_count", 0),
        posts_new=stats.get("qatysu/posts_new", 0),
        posts_updated=stats.get("qatysu/posts_updated", 0),
        errors=stats.get("log_count/ERROR", 0),
        finish_reason=stats.get("finish_reason", "unknown"),
        skipped=stats.get(SKIPPED_STAT, 0),
    )
