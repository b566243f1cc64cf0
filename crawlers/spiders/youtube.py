"""Spider ``youtube``: comment threads through the YouTube Data API v3 ``commentThreads.list``.

Handles are video ids, or channel ids (``UC…``) for every thread related to a channel. The key comes
from ``$YOUTUBE_API_KEY`` and travels in the ``X-Goog-Api-Key`` header, never in a URL. Quota and
disabled-comments errors are reported by name for the video or channel concerned.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from qatysu.crawlers.items import SourceItem
from qatysu.crawlers.spiders.base import SourceSpider

KEY_ENV = "YOUTUBE_API_KEY"
REASONS = {
    "quotaExceeded": "the API key's daily quota is used up; try again tomorrow",
    "commentsDisabled": "comments are disabled",
    "videoNotFound": "no such video",
    "channelNotFound": "no such channel",
    "forbidden": "access forbidden",
}


class YoutubeApiError(RuntimeError):
    pass


def thread_record(handle: str, item: dict[str, Any]) -> dict[str, Any]:
    top = item["snippet"]["topLevelComment"]
    s = top["snippet"]
    video = s.get("videoId") or item["snippet"].get("videoId")
    return {
        "platform": "youtube",
        "source": handle,
        "post_id": item["id"],
        "url": f"https://www.youtube.com/watch?v={video}&lc={top['id']}" if video else None,
        "published_at": datetime.fromisoformat(s["publishedAt"].replace("Z", "+00:00")),
        "text": s.get("textOriginal") or s.get("textDisplay") or None,
        "author": (s.get("authorChannelId") or {}).get("value"),
        "reactions": s.get("likeCount"),
        "comments": item["snippet"].get("totalReplyCount"),
        "extra": {"video_id": video, "edited": s.get("updatedAt") not in (None, s["publishedAt"])},
    }


class YoutubeSpider(SourceSpider):
    name = "youtube"
    platform = "youtube"
    custom_settings = {"ROBOTSTXT_OBEY": False}
    handle_httpstatus_list = [400, 403, 404]

    def _request(self, handle: str, page: int, token: str | None = None) -> scrapy.Request:
        params = {"part": "snippet", "maxResults": "100", "order": "time", "textFormat": "plainText"}
        params["allThreadsRelatedToChannelId" if handle.startswith("UC") else "videoId"] = handle
        if token:
            params["pageToken"] = token
        return scrapy.Request(
            f"{self.settings['QATYSU_YOUTUBE_API_URL']}/youtube/v3/commentThreads?{urlencode(params)}",
            headers={"X-Goog-Api-Key": os.environ.get(KEY_ENV, ""), "Accept": "application/json"},
            callback=self.parse, cb_kwargs={"handle": handle, "page": page},
        )

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if not os.environ.get(KEY_ENV):
            raise YoutubeApiError(f"set ${KEY_ENV} to a YouTube Data API key to collect comments")
        for handle in self.handles:
            yield self._request(handle, 1)

    def parse(self, response: Response, handle: str, page: int) -> Iterator[Any]:
        data = self.api_json(response, handle)
        if data is None:
            return
        if "error" in data:
            errors = data["error"].get("errors") or [{}]
            reason = errors[0].get("reason", "")
            self.logger.error("youtube %s: %s (%s)", handle, REASONS.get(reason, data["error"].get("message")), reason)
            return
        if page == 1:
            url = (f"https://www.youtube.com/channel/{handle}" if handle.startswith("UC")
                   else f"https://www.youtube.com/watch?v={handle}")
            yield SourceItem("youtube", handle, url=url, has_public_preview=True)
        reached_end = False
        for item in data.get("items") or []:
            record = thread_record(handle, item)
            if self.too_old(record["published_at"]):
                reached_end = True
                continue
            yield record
        token = data.get("nextPageToken")
        if token and not reached_end and self.may_continue(page):
            yield self._request(handle, page + 1, token)
