"""Spider ``vk``: community and user walls through the official API method ``wall.get``.

The token comes from ``$VK_TOKEN`` and travels in the POST body, never in a URL, so it reaches neither
logs nor the warehouse. Requests stay under VK's limit of 3 per second; error 6 (too many requests)
backs off and retries, and access errors stop that wall with a message naming it.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from datetime import datetime, timezone
from typing import Any

import scrapy
from scrapy.http import Response

from qatysu.crawlers.items import SourceItem
from qatysu.crawlers.spiders.base import SourceSpider

API_VERSION = "5.199"
PAGE = 100
TOKEN_ENV = "VK_TOKEN"
ACCESS_ERRORS = {
    5: "the token was rejected (authorization failed)",
    15: "access denied",
    18: "the page was deleted or banned",
    30: "the profile is private",
}


class VkApiError(RuntimeError):
    pass


def wall_params(handle: str) -> dict[str, str]:
    """A numeric handle is an owner id (negative for communities); anything else a short name."""
    return {"owner_id": handle} if handle.lstrip("-").isdigit() else {"domain": handle}


def post_record(handle: str, item: dict[str, Any]) -> dict[str, Any]:
    owner, post_id = item["owner_id"], item["id"]
    from_id = item.get("signer_id") or (item.get("from_id") if item.get("from_id", 0) > 0 else None)
    origin = (item.get("copy_history") or [{}])[0].get("owner_id")

    def count(name: str) -> int | None:
        value = item.get(name)
        return value.get("count") if isinstance(value, dict) else None

    return {
        "platform": "vk",
        "source": handle,
        "post_id": post_id,
        "url": f"https://vk.com/wall{owner}_{post_id}",
        "published_at": datetime.fromtimestamp(item["date"], tz=timezone.utc),
        "text": item.get("text") or None,
        "author": str(from_id) if from_id else None,
        # a repost of a community's post (negative id) names the community; a user's (positive id), a person
        "forwarded_from": str(origin) if origin and origin < 0 else None,
        "forwarded_from_person": str(origin) if origin and origin > 0 else None,
        "views": count("views"),
        "reactions": count("likes"),
        "comments": count("comments"),
        "forwards": count("reposts"),
        "extra": {"pinned": bool(item.get("is_pinned")),
                  "media": sorted({a.get("type") for a in item.get("attachments") or [] if a.get("type")})},
    }


class VkSpider(SourceSpider):
    name = "vk"
    platform = "vk"
    custom_settings = {"DOWNLOAD_DELAY": 0.34, "CONCURRENT_REQUESTS_PER_DOMAIN": 1, "ROBOTSTXT_OBEY": False}

    def _request(self, handle: str, offset: int, stop_at: int | None, newest: int | None, attempt: int = 0):
        token = os.environ.get(TOKEN_ENV)
        return scrapy.FormRequest(
            f"{self.settings['QATYSU_VK_API_URL']}/method/wall.get",
            formdata={**wall_params(handle), "offset": str(offset), "count": str(PAGE), "v": API_VERSION,
                      "access_token": token or ""},
            callback=self.parse,
            dont_filter=True,
            cb_kwargs={"handle": handle, "offset": offset, "stop_at": stop_at, "newest": newest, "attempt": attempt},
        )

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if not os.environ.get(TOKEN_ENV):
            raise VkApiError(f"set ${TOKEN_ENV} to a VK API access token to crawl VK walls")
        stops = self.stop_points()
        for handle in self.handles:
            yield self._request(handle, 0, stops[handle], None)

    async def parse(self, response: Response, handle: str, offset: int, stop_at: int | None,
                    newest: int | None, attempt: int) -> AsyncIterator[Any]:
        data = self.api_json(response, handle)
        if data is None:
            return
        if "error" in data:
            code = data["error"].get("error_code")
            if code in (6, 9, 10) and attempt < self.settings.getint("RETRY_TIMES"):
                await asyncio.sleep(self.settings.getfloat("RETRY_BACKOFF_BASE") * 2**attempt)
                yield self._request(handle, offset, stop_at, newest, attempt + 1)
                return
            reason = ACCESS_ERRORS.get(code, data["error"].get("error_msg", "unknown error"))
            self.logger.error("vk wall %s: API error %s: %s", handle, code, reason)
            if code in (15, 18, 30):
                yield SourceItem("vk", handle, url=f"https://vk.com/{handle}", has_public_preview=False)
            return
        body = data.get("response") or {}
        items = body.get("items") or []
        if offset == 0:
            yield SourceItem("vk", handle, url=f"https://vk.com/{handle}", has_public_preview=True)
        reached_end = not items
        for item in items:
            record = post_record(handle, item)
            pinned = record["extra"]["pinned"]
            if not pinned:
                newest = max(newest or 0, item["id"])
                if self.too_old(record["published_at"]) or (stop_at is not None and item["id"] <= stop_at):
                    reached_end = True
                    continue
            yield record
        next_offset = offset + len(items)
        page = next_offset // PAGE
        more = not reached_end and next_offset < body.get("count", 0)
        if more and self.may_continue(page):
            yield self._request(handle, next_offset, stop_at, newest)
        else:
            yield self.walk_done(handle, page=page, has_more=more, stop_at=stop_at, newest=newest)
