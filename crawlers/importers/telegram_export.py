"""Telegram Desktop's "Export chat history" JSON (``result.json``), staged as post rows.

Root ``{name, type, id, messages[]}``; a full-account export nests chats under ``chats.list[]``. Message text
is a string or a list mixing strings and entity objects ``{type, text}`` (either may be null in real files).
Exports carry no views; reactions are optional. ``from_id`` of a person (``user…``) becomes the pseudonymised
author, and so do the person a message was forwarded from and the id of a personal chat (see
:mod:`qatysu.warehouse.privacy`). A message that cannot be read (not an object, no id, a date out of range) is a bad row named by its
position in its chat; everything else about the file is checked like any other import.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from qatysu.warehouse import WarehouseError
from qatysu.warehouse.post_import import EXPORT_COLUMNS
from qatysu.warehouse.staging import stage_table
from qatysu.warehouse.validation import LINE, MAX_COUNT, PROBLEM, plausible_time

COLUMNS = [c.name for c in EXPORT_COLUMNS]


# Chats whose id is a person's (the exporting user's own, for saved messages): the id is pseudonymised.
PERSON_CHATS = ("personal_chat", "bot_chat", "saved_messages")


class ExportError(WarehouseError):
    """The file is not a Telegram Desktop export."""


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(part if isinstance(part, str) else
                       part["text"] if isinstance(part, dict) and isinstance(part.get("text"), str) else ""
                       for part in value)
    return ""


def _chats(root: Any, path: Path) -> list[dict[str, Any]]:
    if isinstance(root, dict) and isinstance(root.get("messages"), list):
        return [root]
    chats = root.get("chats") if isinstance(root, dict) else None
    listed = chats.get("list") if isinstance(chats, dict) else None
    if isinstance(listed, list):
        return [c for c in listed if isinstance(c, dict) and isinstance(c.get("messages"), list)]
    raise ExportError(f"{path}: not a Telegram Desktop export (expected {{name, type, id, messages[]}} or "
                      "chats.list[])")


def _published(m: dict[str, Any]) -> datetime:
    if "date_unixtime" in m:
        raw = m["date_unixtime"]
        try:
            published = datetime.fromtimestamp(int(raw), tz=timezone.utc)
        except (TypeError, ValueError, OverflowError, OSError):
            raise ValueError(f"date_unixtime {str(raw)[:40]!r} is not a time") from None
    else:
        try:
            published = datetime.fromisoformat(str(m["date"])).replace(tzinfo=timezone.utc)
        except (KeyError, ValueError):
            raise ValueError(f"date {str(m.get('date'))[:40]!r} is not a time") from None
    if not plausible_time(published):
        raise ValueError(f"date {published.isoformat()} is before 1990 or after tomorrow")
    return published


def _id(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().isdecimal():
        raise ValueError(f"id {str(value)[:40]!r} is not a message number")
    return int(str(value).strip())


def _forwarded(m: dict[str, Any]) -> dict[str, str]:
    """Where a forwarded message comes from: a channel or group keeps its name; a person (``forwarded_from_id``
    ``user…``, or a name without an id: a hidden sender, or an export too old to say) is pseudonymised."""
    name = None if m.get("forwarded_from") is None else str(m["forwarded_from"])
    origin = str(m.get("forwarded_from_id") or "")
    if origin.startswith(("channel", "chat")):
        return {"forwarded_from": name or origin}
    return {"forwarded_from_person": origin or name} if origin or name else {}


def _row(m: dict[str, Any], handle: str, source: str | None) -> dict[str, str | None]:
    post_id = _id(m.get("id"))
    reactions: dict[str, int] = {}
    for r in m.get("reactions") or []:
        if isinstance(r, dict):
            count = r.get("count", 0)
            if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_COUNT:
                raise ValueError(f"a reaction count {str(count)[:40]!r} is not a whole number")
            label = str(r.get("emoji") or r.get("document_id") or r.get("type"))
            reactions[label] = min(reactions.get(label, 0) + count, MAX_COUNT)
    from_id = str(m.get("from_id") or "")
    entities = [e for e in m.get("text_entities") or [] if isinstance(e, dict)]
    extra = {
        "edited": "edited" in m,
        "media": [m["media_type"]] if m.get("media_type") else (["photo"] if m.get("photo") else []),
        "reactions": reactions,
        "hashtags": [str(e.get("text") or "").lstrip("#") for e in entities if e.get("type") == "hashtag"],
        "links": [e.get("href") or e.get("text") for e in entities if e.get("type") in ("link", "text_link")],
    }
    author = from_id if from_id.startswith("user") else m.get("author")
    reply = m.get("reply_to_message_id")
    return {
        "platform": "telegram",
        "source": handle,
        "post_id": str(post_id),
        "url": f"https://t.me/{source}/{post_id}" if source else None,
        "published_at": _published(m).isoformat(),
        "text": _text(m.get("text")) or None,
        "author": None if author is None else str(author),
        "reply_to": None if reply is None else str(reply),
        **_forwarded(m),
        "reactions": str(min(sum(reactions.values()), MAX_COUNT)) if reactions else None,
        "extra": json.dumps(extra, ensure_ascii=False, default=str),
    }


def _rows(path: Path, source: str | None) -> Iterator[tuple[int, str | None, dict[str, str | None]]]:
    """``(position, problem, row)`` for every message of every chat (service messages are not posts)."""
    try:
        root = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ExportError(f"{path}: not UTF-8 text as Telegram writes its exports ({exc.reason} at byte "
                          f"{exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise ExportError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from exc
    position = 0
    for chat in _chats(root, path):
        person = chat.get("type") in PERSON_CHATS and source is None
        handle = f"user{chat.get('id')}" if person and chat.get("id") else source or str(chat.get("id") or
                                                                                          chat.get("name") or "")
        if not handle.strip():
            raise ExportError(f"{path}: a chat has neither id nor name; name the channel with --source")
        for m in chat["messages"]:
            position += 1
            if not isinstance(m, dict):
                yield position, f"message is a JSON {type(m).__name__}, not an object", {}
                continue
            if m.get("type", "message") != "message":
                continue
            try:
                yield position, None, {**_row(m, handle, source), "source_is_person": "true" if person else None}
            except ValueError as exc:
                yield position, f"message {str(m.get('id', '?'))[:20]} of chat {handle[:40]}: {exc}", {}


def stage_export(con: duckdb.DuckDBPyConnection, path: Path, source: str | None) -> None:
    """Stage every message of the export, its position in the file as its line."""
    lines: list[int] = []
    problems: list[str | None] = []
    columns: dict[str, list[str | None]] = {c: [] for c in COLUMNS}
    for position, problem, row in _rows(path, source):
        lines.append(position)
        problems.append(problem)
        for name, values in columns.items():
            values.append(row.get(name))
    stage_table(con, pa.table({LINE: pa.array(lines, pa.int64()), PROBLEM: pa.array(problems, pa.string()),
                               **{n: pa.array(v, pa.string()) for n, v in columns.items()}}), EXPORT_COLUMNS)
