"""Spider ``news``: articles (and their comments where the page shows them) of news sites.

Driven by each site's RSS/Atom feeds or sitemaps and its YAML rules (``crawlers/news_rules.py``).
Handles are site names (``tengrinews.kz``); none means every site with rules. ``max_pages`` caps the
articles read per site. ``$QATYSU_NEWS_BASE_URL`` sends every request to a mirror or local server
while stored URLs keep the site's own address.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlparse, urlunparse

import scrapy
from lxml import etree
from parsel import Selector
from scrapy.http import Response

from qatysu.crawlers.items import SourceItem
from qatysu.crawlers.news_rules import SiteRules, load_rules
from qatysu.crawlers.spiders.base import SourceSpider
from qatysu.crawlers.telegram_page import parse_count
from qatysu.warehouse import Warehouse
from qatysu.warehouse.queries import run_query


def parse_date(text: str | None) -> datetime | None:
    if not text:
        return None
    text = text.strip()
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def extract(sel: Selector, rule: str | None) -> str | None:
    """A CSS rule: with ``::text``/``::attr`` its values joined, else the text of each match, one per line."""
    if not rule:
        return None
    if "::" in rule:
        values = [v.strip() for v in sel.css(rule).getall() if v.strip()]
        return " ".join(values) or None
    parts = [" ".join(t.strip() for t in el.css("::text").getall() if t.strip()) for el in sel.css(rule)]
    return "\n".join(p for p in parts if p) or None


def article_id(url: str) -> str:
    """The path identifies an article (query strings carry tracking, not identity)."""
    return urlparse(url).path.rstrip("/") or "/"


class NewsSpider(SourceSpider):
    name = "news"
    platform = "news"
    base_url_setting = "QATYSU_NEWS_BASE_URL"

    def _canonical(self, rules: SiteRules, url: str) -> str:
        u = urlparse(url)
        return urlunparse(("https", rules.site, u.path, "", "", ""))

    async def start(self) -> AsyncIterator[scrapy.Request]:
        rules = load_rules()
        sites = self.handles or sorted(rules)
        unknown = [s for s in sites if s not in rules]
        if unknown:
            self.logger.error("no news rules for %s; sites with rules: %s", ", ".join(unknown), ", ".join(sorted(rules)))
        self.read = {site: 0 for site in sites}
        self.seen: dict[str, set[str]] = {}
        with Warehouse.at(self.settings["QATYSU_DB"]).writer(publish=False) as con:
            for site in sites:
                self.seen[site] = set() if self.refresh else {
                    r[0] for r in run_query(con, "source_post_ids", {"source": f"news:{site}"})[1]
                }
        for site in (s for s in sites if s in rules):
            r = rules[site]
            yield SourceItem("news", site, title=r.name, url=f"https://{site}", has_public_preview=True)
            for feed in r.feeds:
                yield scrapy.Request(self.fetch_url(feed), callback=self.parse_feed, cb_kwargs={"rules": r})
            for sitemap in r.sitemaps:
                yield scrapy.Request(self.fetch_url(sitemap), callback=self.parse_sitemap, cb_kwargs={"rules": r})

    def _article_requests(self, rules: SiteRules, links: list[tuple[str, datetime | None]]) -> Iterator[Any]:
        for link, published in links:
            canonical = self._canonical(rules, link)
            if rules.url_pattern and not rules.url_pattern.search(canonical):
                continue
            if self.too_old(published) or article_id(canonical) in self.seen[rules.site]:
                continue
            if not self.may_continue(self.read[rules.site]):
                break
            self.read[rules.site] += 1
            self.seen[rules.site].add(article_id(canonical))
            yield scrapy.Request(self.fetch_url(link), callback=self.parse_article,
                                 cb_kwargs={"rules": rules, "canonical": canonical})

    def parse_feed(self, response: Response, rules: SiteRules) -> Iterator[Any]:
        try:
            root = etree.fromstring(response.body, parser=etree.XMLParser(recover=True, resolve_entities=False))
        except etree.XMLSyntaxError:
            root = None
        if root is None:
            self.logger.error("news %s: feed %s is not XML", rules.site, response.url)
            return
        links = []
        for item in root.iter("{*}item", "{*}entry", "item", "entry"):
            link = item.findtext("{*}link") or item.findtext("link")
            if not link:
                node = item.find("{*}link")
                link = node.get("href") if node is not None else None
            date = next((item.findtext(tag) for tag in ("{*}pubDate", "pubDate", "{*}published", "{*}updated")
                         if item.findtext(tag)), None)
            if link:
                links.append((link.strip(), parse_date(date)))
        yield from self._article_requests(rules, links)

    def parse_sitemap(self, response: Response, rules: SiteRules) -> Iterator[Any]:
        sel = Selector(body=response.body, type="xml")
        sel.remove_namespaces()
        for sub in sel.xpath("//sitemap/loc/text()").getall():
            yield scrapy.Request(self.fetch_url(sub.strip()), callback=self.parse_sitemap, cb_kwargs={"rules": rules})
        links = [(u.xpath("loc/text()").get("").strip(), parse_date(u.xpath("lastmod/text()").get()))
                 for u in sel.xpath("//url")]
        yield from self._article_requests(rules, [(link, d) for link, d in links if link])

    def parse_article(self, response: Response, rules: SiteRules, canonical: str) -> Iterator[dict[str, Any]]:
        sel = Selector(body=response.body, type="html")
        aid = article_id(canonical)
        published = parse_date(extract(sel, rules.date))
        title, text = extract(sel, rules.title), extract(sel, rules.text)
        if not text and not title:
            self.logger.error("news %s: no title or text found at %s; check the site's rules", rules.site, canonical)
            return
        yield {
            "platform": "news", "source": rules.site, "post_id": aid, "url": canonical, "published_at": published,
            "text": "\n\n".join(p for p in (title, text) if p),
            "comments": parse_count(extract(sel, rules.comment_count)),
            "extra": {"title": title, "kind": "article"},
        }
        c = rules.comments
        for i, node in enumerate(sel.css(c.item) if c else []):
            cid = extract(node, c.id) or str(i + 1)
            yield {
                "platform": "news", "source": rules.site, "post_id": f"{aid}#{cid}", "url": f"{canonical}#comment-{cid}",
                "published_at": parse_date(extract(node, c.date)), "text": extract(node, c.text),
                "author": extract(node, c.author), "reply_to": aid, "extra": {"kind": "comment"},
            }
