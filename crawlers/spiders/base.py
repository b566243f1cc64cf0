"""What every spider over a list of sources shares: its arguments and where each source's walk stops."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlparse, urlunparse

import scrapy

from qatysu.crawlers.items import SourceDone
from qatysu.warehouse import Warehouse
from qatysu.warehouse.crawls import frontier


class SourceSpider(scrapy.Spider):
    """Arguments: ``handles`` (list or comma-separated), ``since``, ``max_pages``, ``refresh``."""

    platform: str
    default_handles: tuple[str, ...] = ()  # what a crawl reads when no source is given or registered
    base_url_setting: str | None = None  # the setting of a mirror or local server to send every request to

    def __init__(
        self,
        handles: list[str] | str = (),
        since: datetime | str | None = None,
        max_pages: int | str | None = None,
        refresh: bool | str = False,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        raw = handles.split(",") if isinstance(handles, str) else handles
        self.handles = [h.strip().lstrip("@") for h in raw if h.strip()]
        self.since = datetime.fromisoformat(since) if isinstance(since, str) else since
        if self.since is not None and self.since.tzinfo is None:
            self.since = self.since.replace(tzinfo=timezone.utc)
        self.max_pages = int(max_pages) if max_pages else None
        self.refresh = refresh in (True, "1", "true", "yes")
        self.run_args = {"handles": self.handles, "since": self.since, "max_pages": self.max_pages,
                         "refresh": self.refresh}

    def stop_points(self) -> dict[str, int | None]:
        """Per handle, the newest post id of the last complete crawl (None with ``refresh`` or none yet)."""
        with Warehouse.at(self.settings["QATYSU_DB"]).writer(publish=False) as con:
            return {h: None if self.refresh else frontier(con, self.platform, h) for h in self.handles}

    def fetch_url(self, url: str) -> str:
        """Where to request ``url``: at the mirror of :attr:`base_url_setting` when one is set (tests' local
        servers), the stored URL keeping the site's own address."""
        base = self.settings.get(self.base_url_setting) if self.base_url_setting else None
        if not base:
            return url
        b, u = urlparse(base), urlparse(url)
        return urlunparse((b.scheme, b.netloc, u.path, u.params, u.query, ""))

    def too_old(self, published: datetime | None) -> bool:
        return bool(self.since and published and published < self.since)

    def api_json(self, response, handle: str) -> dict[str, Any] | None:
        """An API answer as JSON, or None (logged as an error naming the source) when it is not JSON."""
        try:
            return json.loads(response.text)
        except (json.JSONDecodeError, AttributeError):
            self.logger.error("%s %s: the API answered with something that is not JSON", self.platform, handle)
            return None

    def may_continue(self, page: int) -> bool:
        return self.max_pages is None or page < self.max_pages

    def walk_done(self, handle: str, *, page: int, has_more: bool, stop_at: int | None, newest: int | None) -> SourceDone:
        """The end of one source's walk. Its frontier advances to ``newest`` unless ``max_pages`` ended the
        walk before the previous frontier: then the old one stays, or the posts between would never be collected."""
        if has_more and stop_at is not None:
            self.logger.warning("%s %s: stopped after %d pages before reaching post %d", self.platform, handle,
                                page, stop_at)
            return SourceDone(self.platform, handle, None)
        return SourceDone(self.platform, handle, newest)
