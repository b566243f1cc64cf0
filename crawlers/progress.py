"""A Scrapy extension that reports progress to a callable, for the command line's live display."""

from __future__ import annotations

from collections.abc import Callable

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

ProgressCallback = Callable[[int, int, int], None]  # pages, items, errors


class CrawlProgress:
    """Enabled when the setting ``QATYSU_PROGRESS`` holds a callable; calls it after every response and item."""

    def __init__(self, crawler: Crawler, report: ProgressCallback):
        self.stats = crawler.stats
        self.report = report
        crawler.signals.connect(self.update, signal=signals.response_received)
        crawler.signals.connect(self.update, signal=signals.item_scraped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        report = crawler.settings.get("QATYSU_PROGRESS")
        if not callable(report):
            raise NotConfigured
        return cls(crawler, report)

    def update(self, *args, **kwargs) -> None:
        self.report(
            self.stats.get_value("response_received_count", 0),
            self.stats.get_value("item_scraped_count", 0),
            self.stats.get_value("log_count/ERROR", 0),
        )
