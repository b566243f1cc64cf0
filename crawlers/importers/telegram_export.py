"""Telegram Desktop's "Export chat history" JSON (``result.json``) as post records.

Root ``{name, type, id, messages[]}``; a full-account export nests chats under ``chats.list[]``.
Message text is a string or a list mixing strings and entity objects ``{type, text}``. Exports carry
no views; reactions are optional. ``from_id`` of a person (``user…``) becomes the pseudonymised author.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from qatysu.crawlers.importers.records import BadRecord
from qatysu.warehouse import WarehouseError


class ExportError(WarehouseError):
    """The file is not a Telegram Desktop export."""


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(part if isinstance(part, str) else str(part.get("text", "")) for part in value)
    return ""


def _chats(root: Any) -> list[dict[str, Any]]:
    if isinstance(root, dict) and isinstance(root.get("messages"), list):
        return [root]
    chats = root.get("chats", {}).get("list") if isinstance(root, dict) else None
    if isinstance(chats, list):
        return [c for c in chats if isinstance(c, dict) and isinstance(c.get("messages"), list)]
    raise ExportError("not a Telegram Desktop export: expected {name, type, id, messages[]} or chats.list[]")


def read_export(path: Path, source: str | None = None) -> Iterator[dict[str, Any] | BadRecord]:
    """Post records of every chat in the export; ``source`` names the channel (its @username) when known.

    A malformed message yields a :class:`BadRecord` whose ``line`` is the message's position in its chat.
    """
    try:
        root = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ExportError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from exc
    for chat in _chats(root):
        handle = source or str(chat.get("id") or chat.get("name"))
        for position, m in enumerate(chat["messages"], start=1):
            if not isinstance(m, dict) or m.get("type") != "message":
                continue
            try:
                yield _message(m, handle, source)
            except (KeyError, TypeError, ValueError) as exc:
                yield BadRecord(position, f"message {m.get('id', '?')} of chat {handle}: {type(exc).__name__} {exc}")


def _message(m: dict[str, Any], handle: str, source: str | None) -> dict[str, Any]:
    if "date_unixtime" in m:
        published = datetime.fromtimestamp(int(m["date_unixtime"]), tz=timezone.utc)
    else:
        published = datetime.fromisoformat(m["date"]).replace(tzinfo=timezone.utc)
    reactions = {r.get("emoji") or r.get("document_id") or r.get("type"): int(r.get("count", 0))
                 for r in m.get("reactions") or [] if isinstance(r, dict)}
    from_id = str(m.get("from_id") or "")
    text = _text(m.get("text"))
    return {
        "platform": "telegram",
        "source": handle,
        "post_id": m["id"],
        "url": f"https://t.me/{source}/{m['id']}" if source else None,
        "published_at": published,
        "text": text or None,
        "author": from_id if from_id.startswith("user") else m.get("author"),
        "reply_to": m.get("reply_to_message_id"),
        "forwarded_from": m.get("forwarded_from"),
        "reactions": sum(reactions.values()) if reactions else None,
        "extra": {
            "edited": "edited" in m,
            "media": [m["media_type"]] if m.get("media_type") else (["photo"] if m.get("photo") else []),
            "reactions": reactions,
            "hashtags": [e.get("text", "").lstrip("#") for e in m.get("text_entities") or []
                         if isinstance(e, dict) and e.get("type") == "hashtag"],
            "links": [e.get("href") or e.get("text") for e in m.get("text_entities") or []
                      if isinstance(e, dict) and e.get("type") in ("link", "text_link")],
        },
    }
