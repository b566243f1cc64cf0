"""Spider ``petitions``: the eGov petitions portal's public list and change.org petition pages.

NEEDS A LIVE CHECK: written from what public scrapers of these sites read, not tested against real responses.

Handles: ``epetition.kz`` (the portal's list; the default when no source is given or registered) and URLs of
change.org petition pages. The portal's public API pages its list as ``/api/public/v1/petitions/short?size=&page=``
(pages from 0, petitions under ``content``, ``last`` true on the last page), each petition with ``id``, ``title``,
``signersCount`` and ``applyDate``; no public scraper names the fields of a petition's own page, so texts of
portal petitions are their titles. A change.org page declares ``window.changeTargetingData``, whose ``petition``
has ``id``, ``createdAt``, ``user.id`` and ``signatureCount.total`` and ``.goal``; the title and summary are the
page's ``og:`` meta tags.

Each petition read becomes a record in the columns of ``qatysu import petitions`` and goes through that import's
checks and merge (see the pipeline): one signature reading per listed petition per crawl, whether it is stored
already or not, since following signatures over time is what a petition's readings are for (the list is walked
whole at every crawl; ``refresh`` changes nothing here). Pages given by URL are read at every crawl.
``$QATYSU_PETITIONS_BASE_URL`` sends every request to a mirror or local server while stored URLs keep the sites'
own addresses.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode, urlparse, urlunparse

import scrapy
from parsel import Selector
from scrapy.http import Response

from qatysu.crawlers.items import PetitionItem
from qatysu.crawlers.spiders.base import SourceSpider
from qatysu.crawlers.spiders.news import parse_date
from qatysu.warehouse.petitions import POST_PLATFORM

PORTAL = "epetition.kz"
PORTAL_PLATFORM = "egov"  # the petitions' platform, as in petition_uid petition:egov:<id>
LIST_PATH = "/api/public/v1/petitions/short"
PAGE = 20
TARGETING = re.compile(r"changeTargetingData\s*=\s*")


def text(value: Any) -> str | None:
    """A value as the text a petitions file would hold (the import's checks judge it)."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)


def portal_record(item: Any) -> dict[str, str | None]:
    item = item if isinstance(item, dict) else {}
    pid = text(item.get("id"))
    return {"platform": PORTAL_PLATFORM, "petition_id": pid, "title": text(item.get("title")),
            "created_at": text(item.get("applyDate")), "signatures": text(item.get("signersCount")),
            "url": f"https://{PORTAL}/petition/{pid}" if pid else None}


def targeting_data(html: str) -> dict[str, Any] | None:
    """The object a change.org page assigns to ``changeTargetingData`` (JavaScript: ``undefined`` read as null)."""
    found = TARGETING.search(html)
    if not found:
        return None
    try:
        data, _ = json.JSONDecoder().raw_decode(re.sub(r"\bundefined\b", "null", html[found.end():]))
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def page_record(url: str, html: str) -> dict[str, str | None] | None:
    data = targeting_data(html)
    if data is None:
        return None
    petition = data.get("petition") if isinstance(data.get("petition"), dict) else {}
    count = petition.get("signatureCount") if isinstance(petition.get("signatureCount"), dict) else {}
    user = petition.get("user") if isinstance(petition.get("user"), dict) else {}
    sel = Selector(text=html)
    meta = lambda name: sel.css(f'meta[property="og:{name}"]::attr(content)').get()  # noqa: E731
    return {"platform": "change.org", "petition_id": text(petition.get("id")), "title": meta("title"),
            "text": meta("description"), "url": url, "author": text(user.get("id")),
            "created_at": text(petition.get("createdAt")), "signatures": text(count.get("total")),
            "threshold": text(count.get("goal"))}


class PetitionsSpider(SourceSpider):
    name = "petitions"
    platform = POST_PLATFORM
    default_handles = (PORTAL,)
    base_url_setting = "QATYSU_PETITIONS_BASE_URL"

    def _list_page(self, page: int) -> scrapy.Request:
        url = f"https://{PORTAL}{LIST_PATH}?{urlencode({'size': PAGE, 'page': page})}"
        return scrapy.Request(self.fetch_url(url), callback=self.parse_list, cb_kwargs={"page": page},
                              headers={"Accept": "application/json"}, dont_filter=True)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.read: set[str] = set()  # the portal's list may shift while it is walked: each petition once
        for handle in self.handles:
            if handle == PORTAL:
                yield self._list_page(0)
            elif urlparse(handle).scheme in ("http", "https"):
                u = urlparse(handle)
                canonical = urlunparse((u.scheme, u.netloc, u.path.rstrip("/"), "", "", ""))
                yield scrapy.Request(self.fetch_url(handle), callback=self.parse_page, cb_kwargs={"url": canonical})
            else:
                self.logger.error("petitions: %r is neither %s nor a petition page's URL", handle, PORTAL)

    def parse_list(self, response: Response, page: int) -> Iterator[Any]:
        data = self.api_json(response, PORTAL)
        if data is None:
            return
        content = data.get("content") if isinstance(data, dict) else None
        if not isinstance(content, list):
            self.logger.error("petitions %s: list page %d has no list of petitions under 'content'", PORTAL, page)
            return
        for item in content:
            record = portal_record(item)
            pid = record["petition_id"]
            if pid is not None and pid in self.read:
                continue
            if self.too_old(parse_date(record["created_at"])):
                continue
            self.read.add(pid)
            yield PetitionItem(record)
        if content and data.get("last") is False and self.may_continue(page + 1):
            yield self._list_page(page + 1)

    def parse_page(self, response: Response, url: str) -> Iterator[Any]:
        record = page_record(url, response.text)
        if record is None:
            self.logger.error("petitions: no changeTargetingData on %s; check the page's layout", url)
            return
        yield PetitionItem(record)
