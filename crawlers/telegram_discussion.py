"""Parsing Telegram's discussion widget: the public comments under a channel post.

A channel with a linked discussion group shows a post's comments without login at
``https://t.me/<channel>/<id>?embed=1&discussion=1``. Each comment is a ``div.tgme_widget_message`` with a
``data-post-id`` (its id in the discussion group), an author link, a text block and a date link ending in
``?comment=<id>``; its record replies to the channel post and its author is pseudonymised by the upsert.

Needs a live check: no saved page of this widget was found in public repositories, so the selectors follow
Telegram's widget script and other projects' parsers, not a recorded page. Like the channel page, a comment
that cannot be read is skipped and counted, never raised.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from qatysu.crawlers.telegram_page import (
    CANONICAL_BASE,
    Unreadable,
    message_reactions,
    message_time,
    page_root,
    visible_text,
)
from qatysu.warehouse.validation import MAX_COUNT

log = logging.getLogger(__name__)


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


_COMMENTS = etree.XPath(f"//div[{_has_class('tgme_widget_message')} and @data-post-id]")
_TEXT = etree.XPath(
    f".//div[{_has_class('tgme_widget_message_text')} and not({_has_class('js-message_reply_text')})"
    f" and not(ancestor::*[{_has_class('tgme_widget_message_reply')}])"
    f" and not(ancestor::div[{_has_class('tgme_widget_message_text')}])]"
)
_AUTHOR = etree.XPath(f".//*[{_has_class('tgme_widget_message_author_name')}]")
_ID = re.compile(r"[0-9]{1,18}")


@dataclass
class Discussion:
    """The comments shown under one channel post; ``skipped`` counts those that could not be read."""

    comments: list[dict[str, Any]] = field(default_factory=list)
    skipped: int = 0


def _author(node: etree._Element) -> str | None:
    """The commenter: their @username when the name links to it, else the name shown."""
    found = [a for a in _AUTHOR(node) if not any(" tgme_widget_message_reply " in f" {p.get('class', '')} "
                                                 for p in a.iterancestors())]
    if not found:
        return None
    href = str(found[0].get("href") or "")
    handle = href.rstrip("/").rsplit("/", 1)[-1] if href.startswith(("https://t.me/", "http://t.me/")) else ""
    return handle or visible_text(found[0]) or None


def parse_comment(node: etree._Element, channel: str, post_id: int) -> dict[str, Any]:
    comment_id = str(node.get("data-post-id", "")).strip()
    if not _ID.fullmatch(comment_id):
        raise Unreadable("its data-post-id is not a number")
    blocks = _TEXT(node)
    reactions = message_reactions(node)
    return {
        "platform": "telegram",
        "source": channel,
        "post_id": f"{post_id}c{comment_id}",
        "url": f"{CANONICAL_BASE}/{channel}/{post_id}?comment={comment_id}",
        "published_at": message_time(node),
        "text": "\n".join(t for t in (visible_text(b) for b in blocks) if t) or None,
        "author": _author(node),
        "reply_to": str(post_id),
        "reactions": min(sum(reactions.values()), MAX_COUNT) if reactions else None,
        "extra": {"comment": True, "comment_id": int(comment_id), "reactions": reactions},
    }


def parse_discussion(body: bytes | str, channel: str, post_id: int) -> Discussion:
    """The comments of the discussion widget page of ``channel``'s post ``post_id``; never raises."""
    found = Discussion()
    root = page_root(body)
    if root is None:
        return found
    for node in _COMMENTS(root):
        try:
            found.comments.append(parse_comment(node, channel, post_id))
        except Exception as exc:  # one comment never costs the others
            found.skipped += 1
            log.warning("telegram comment %r under %s/%s skipped: %s", str(node.get("data-post-id"))[:40],
                        channel, post_id, exc)
    return found
