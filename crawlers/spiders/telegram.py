"""Spider ``telegram``: public channels through their web preview ``<base>/s/<channel>``.

Walks from the newest page to older ones (``?before=<id>``) and stops at ``since``, at ``max_pages``,
or at the frontier of the last complete crawl (incremental), unless ``refresh`` asks to re-read
stored posts to update their counters.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlparse

import scrapy
from scrapy.http import Response

from qatysu.crawlers.items import SKIPPED_STAT, SourceDone, SourceItem
from qatysu.crawlers.spiders.base import SourceSpider
from qatysu.crawlers.telegram_discussion import parse_discussion
from qatysu.crawlers.telegram_page import CANONICAL_BASE, parse_channel_page


class TelegramSpider(SourceSpider):
    """Also the argument ``comments``: read each collected post's public comments (the discussion widget)."""

    name = "telegram"
    platform = "telegram"

    def __init__(self, *args: Any, comments: bool | str = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.comments = comments in (True, "1", "true", "yes")
        self.run_args["comments"] = self.comments

    async def start(self) -> AsyncIterator[scrapy.Request]:
        base = self.settings["QATYSU_TELEGRAM_BASE_URL"]
        stops = self.stop_points()
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
        if parsed.skipped:
            self.crawler.stats.inc_value(SKIPPED_STAT, parsed.skipped)
        if page == 1 and parsed.channel:
            info = parsed.channel
            yield SourceItem("telegram", handle, title=info["title"], description=info["description"],
                             subscribers=info["subscribers"], url=f"{CANONICAL_BASE}/{handle}",
                             has_public_preview=True)
        reached_end = not parsed.posts
        for post in parsed.posts:
            newest = max(newest or 0, post["post_id"])
            if self.too_old(post["published_at"]):
                reached_end = True
                continue
            if stop_at is not None and post["post_id"] <= stop_at:
                reached_end = True
                continue
            yield post
            if self.comments:
                yield self.comments_request(response, post["source"], post["post_id"])
        more = parsed.before is not None and not reached_end
        if more and self.may_continue(page):
            yield response.follow(
                f"/s/{handle}?before={parsed.before}",
                callback=self.parse,
                cb_kwargs={"handle": handle, "page": page + 1, "stop_at": stop_at, "newest": newest},
            )
        else:
            yield self.walk_done(handle, page=page, has_more=more, stop_at=stop_at, newest=newest)

    def comments_request(self, response: Response, channel: str, post_id: int) -> scrapy.Request:
        limit = self.settings.getint("QATYSU_COMMENTS_LIMIT")
        return response.follow(
            f"/{channel}/{post_id}?embed=1&discussion=1&comments_limit={limit}",
            callback=self.parse_comments, cb_kwargs={"channel": channel, "post_id": post_id},
        )

    def parse_comments(self, response: Response, channel: str, post_id: int) -> Iterator[dict[str, Any]]:
        found = parse_discussion(response.body, channel, post_id)
        if found.skipped:
            self.crawler.stats.inc_value(SKIPPED_STAT, found.skipped)
        yield from found.comments
