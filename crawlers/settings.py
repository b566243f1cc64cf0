"""Scrapy settings fit for research crawling: polite, patient, identifiable."""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from qatysu.warehouse import Warehouse, WarehouseError

CONTACT_ENV = "QATYSU_CONTACT"
TELEGRAM_BASE_ENV = "QATYSU_TELEGRAM_BASE_URL"
VK_BASE_ENV = "QATYSU_VK_API_URL"
YOUTUBE_BASE_ENV = "QATYSU_YOUTUBE_API_URL"
NEWS_BASE_ENV = "QATYSU_NEWS_BASE_URL"
PETITIONS_BASE_ENV = "QATYSU_PETITIONS_BASE_URL"


def _version() -> str:
    """The installed distribution's version, named in the user agent so sites can tell releases apart."""
    try:
        return version("qatysu")
    except PackageNotFoundError:  # a checkout that was never installed
        return "0+unknown"


def crawl_settings(wh: Warehouse, *, http_cache: bool = False) -> dict[str, Any]:
    contact = os.environ.get(CONTACT_ENV, "https://github.com/qatysu/qatysu")
    settings: dict[str, Any] = {
        "BOT_NAME": "qatysu",
        "USER_AGENT": f"Qatysu/{_version()} (academic research crawler of public posts; contact: {contact})",
        "ROBOTSTXT_OBEY": True,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
        "DOWNLOAD_DELAY": 1.0,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": 1.0,
        "AUTOTHROTTLE_MAX_DELAY": 60.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 5,
        "RETRY_HTTP_CODES": [429, 500, 502, 503, 504, 522, 524, 408],
        "RETRY_BACKOFF_BASE": 2.0,
        "RETRY_BACKOFF_MAX": 300.0,
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "qatysu.crawlers.retry.BackoffRetryMiddleware": 550,
        },
        "ITEM_PIPELINES": {"qatysu.crawlers.pipelines.WarehousePipeline": 300},
        "EXTENSIONS": {"qatysu.crawlers.progress.CrawlProgress": 500},
        "HTTPCACHE_ENABLED": http_cache,
        "HTTPCACHE_DIR": str(wh.data_dir / "httpcache"),
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "LOG_LEVEL": "INFO",
        "QATYSU_DB": str(wh.path),
        "QATYSU_BATCH_SIZE": 500,
        "QATYSU_COMMENTS_LIMIT": 100,  # comments read under each post with --comments (the widget's newest)
        "QATYSU_TELEGRAM_BASE_URL": os.environ.get(TELEGRAM_BASE_ENV, "https://t.me").rstrip("/"),
        "QATYSU_VK_API_URL": os.environ.get(VK_BASE_ENV, "https://api.vk.com").rstrip("/"),
        "QATYSU_YOUTUBE_API_URL": os.environ.get(YOUTUBE_BASE_ENV, "https://www.googleapis.com").rstrip("/"),
        "QATYSU_NEWS_BASE_URL": os.environ.get(NEWS_BASE_ENV),
        "QATYSU_PETITIONS_BASE_URL": os.environ.get(PETITIONS_BASE_ENV),
    }
    return settings


def checked_overrides(wh: Warehouse, overrides: dict[str, str]) -> dict[str, str]:
    """The user's ``--set KEY=VALUE`` settings, each checked against the kind of value its default holds (a
    number, true or false), so a typo is reported before the crawl starts rather than deep inside Scrapy."""
    from scrapy.settings import default_settings

    defaults = {**vars(default_settings), **crawl_settings(wh)}
    for key, value in overrides.items():
        default = defaults.get(key)
        if isinstance(default, bool):
            if value.strip().lower() not in ("true", "false", "1", "0"):
                raise WarehouseError(f"--set {key}={value}: {key} takes true or false")
        elif isinstance(default, (int, float)):
            try:
                (int if isinstance(default, int) else float)(value)
            except ValueError:
                kind = "a whole number" if isinstance(default, int) else "a number"
                raise WarehouseError(f"--set {key}={value}: {key} takes {kind}") from None
    return overrides
