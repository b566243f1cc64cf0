"""Spider ``telegram``: public channels through their web preview ``<base>/s/<channel>``.

Walks from the newest page to older ones (``?before=<id>``) and stops at ``since``, at ``max_pages``,
or at the frontier of the last complete crawl (incremental), unless ``refresh`` asks to re-read
stored posts to update their counters.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlparse

import scrapy
from scrapy.http import Response

from crawlers.items import SourceDone, SourceItem
from crawlers.telegram_page import CANONICAL_BASE, parse_channel_page
from warehouse import Warehouse
from warehouse.crawls import frontier


class TelegramSpider(scrapy.Spider):
    name = "telegram"

    def __init__(
        self,
        handles: list[str] | str = (),
        since: datetime | str | None = None,
        max_pages: int | str | None = None,
        refresh: bool | str = False,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.handles = [h.strip().lstrip("@") for h in (handles.split(",") if isinstance(handles, str) else handles)
                        if h.strip()]
        self.since = datetime.fromisoformat(since) if isinstance(since, str) else since
        if self.since is not None and self.since.tzinfo is None:
            self.since = self.since.replace(tzinfo=timezone.utc)
        self.max_pages = int(max_pages) if max_pages else None
        self.refresh = refresh in (True, "1", "true", "yes")
        self.run_args = {"handles": self.handles, "since": self.since, "max_pages": self.max_pages,
                         "refresh": self.refresh}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        base = self.settings["QATYSU_TELEGRAM_BASE_URL"]
        with Warehouse.at(self.settings["QATYSU_DB"]).writer(publish=False) as con:
            stops = {h: None if self.refresh else frontier(con, "telegram", h) for h in self.handles}
        for handle in self.handles:
            yield scrapy.Request(
                f"{base}/s/{handle}",
                callback=self.parse,
                cb_kwargs={"handle": handle, "page": 1, "stop_at": stops[handle], "newest": None},
            )

    def parse(
        self, response: Response, handle: str, page: int, stop_at: int | None, newest: int | None
    ) -> Iterator[Any]:
        if not urlparse(response.url).path.startswith("/s/"):
            self.logger.warning("Channel %s has no public preview (redirected to %s)", handle, response.url)
            yield SourceItem("telegram", handle, url=f"{CANONICAL_BASE}/{handle}", has_public_preview=False)
            yield SourceDone("telegram", handle, None)
            return
        if b"</html>" not in response.body[-512:].lower():
            attempts = response.meta.get("truncated_attempts", 0)
            if attempts < self.settings.getint("RETRY_TIMES"):
                self.crawler.stats.inc_value("qatysu/truncated_retries")
                yield response.request.replace(dont_filter=True, meta={"truncated_attempts": attempts + 1})
                return
            self.logger.error("%s: page %s stays truncated; keeping the posts it shows", handle, response.url)
        parsed = parse_channel_page(response.body)
        if page == 1 and parsed.channel:
            info = parsed.channel
            yield SourceItem("telegram", handle, title=info["title"], description=info["description"],
                             subscribers=info["subscribers"], url=f"{CANONICAL_BASE}/{handle}",
                             has_public_preview=True)
        reached_end = not parsed.posts
        for post in parsed.posts:
            newest = max(newest or 0, post["post_id"])
            if self.since and post["published_at"] and post["published_at"] < self.since:
                reached_end = True
                continue
            if stop_at is not None and post["post_id"] <= stop_at:
                reached_end = True
                continue
            yield post
        more = parsed.before is not None and not reached_end
        if more and (self.max_pages is None or page < self.max_pages):
            yield response.follow(
                f"/s/{handle}?before={parsed.before}",
                callback=self.parse,
                cb_kwargs={"handle": handle, "page": page + 1, "stop_at": stop_at, "newest": newest},
            )
        elif more and stop_at is not None:
            # max_pages ended the walk before the previous frontier: keep that frontier, or the posts
            # in between would never be collected.
            self.logger.warning("%s: stopped after %d pages before reaching post %d", handle, page, stop_at)
            yield SourceDone("telegram", handle, None)
        else:
            yield SourceDone("telegram", handle, newest)
