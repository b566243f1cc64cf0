"""Per-site extraction rules for the news spider, in YAML, so an outlet is added without Python.

Rules ship in ``crawlers/news_sites/``; a researcher's own go in a directory named by
``$QATYSU_NEWS_RULES`` (same file name overrides a shipped one).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from qatysu.warehouse import WarehouseError

RULES_ENV = "QATYSU_NEWS_RULES"
SHIPPED = Path(__file__).with_name("news_sites")


@dataclass(frozen=True)
class CommentRules:
    item: str
    text: str
    id: str | None = None
    date: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class SiteRules:
    site: str
    name: str
    title: str
    text: str
    date: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    url_pattern: re.Pattern[str] | None = None
    comment_count: str | None = None
    comments: CommentRules | None = None
    language: str | None = None


def _parse(path: Path) -> SiteRules:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        article = raw["article"]
        if not raw.get("feeds") and not raw.get("sitemaps"):
            raise KeyError("feeds or sitemaps")
        comments = article.get("comments")
        return SiteRules(
            site=raw["site"], name=raw.get("name", raw["site"]), language=raw.get("language"),
            feeds=tuple(raw.get("feeds") or ()), sitemaps=tuple(raw.get("sitemaps") or ()),
            title=article["title"], text=article["text"], date=article["date"],
            url_pattern=re.compile(article["url_pattern"]) if article.get("url_pattern") else None,
            comment_count=article.get("comment_count"),
            comments=CommentRules(**comments) if comments else None,
        )
    except (yaml.YAMLError, KeyError, TypeError, re.error) as exc:
        raise WarehouseError(f"{path}: invalid news site rules ({type(exc).__name__}: {exc})") from exc


def load_rules() -> dict[str, SiteRules]:
    """Every site's rules by site name; the researcher's directory overrides shipped files of the same name."""
    files = {p.name: p for p in sorted(SHIPPED.glob("*.yaml"))}
    own = os.environ.get(RULES_ENV)
    if own:
        files.update({p.name: p for p in sorted(Path(own).glob("*.yaml"))})
    rules = [_parse(p) for p in files.values()]
    return {r.site: r for r in rules}
