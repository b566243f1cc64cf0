"""Reading CSV and JSON Lines files of posts in Qatysu's canonical columns, strictly and with line numbers."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from qatysu.warehouse.regions import RegionResolver, UnknownRegion

REQUIRED = ("platform", "source", "post_id", "published_at", "text")
OPTIONAL = ("views", "reactions", "comments", "forwards", "region", "author", "url")
COUNTERS = ("views", "reactions", "comments", "forwards")


@dataclass(frozen=True)
class BadRecord:
    line: int
    problem: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.problem}"


def _rows_csv(path: Path) -> Iterator[tuple[int, Mapping[str, Any]]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh, strict=True)
        try:
            for row in reader:
                if None in row or any(v is None for v in row.values()):
                    yield reader.line_num, {"__error__": f"wrong number of fields (the header has "
                                                         f"{len(reader.fieldnames or [])})"}
                else:
                    yield reader.line_num, row
        except csv.Error as exc:
            yield reader.line_num, {"__error__": f"broken CSV ({exc})"}


def _rows_jsonl(path: Path) -> Iterator[tuple[int, Mapping[str, Any]]]:
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, {"__error__": f"not valid JSON ({exc.msg} at column {exc.colno})"}
                continue
            yield number, obj if isinstance(obj, dict) else {"__error__": "not a JSON object"}


READERS: dict[str, Callable[[Path], Iterator[tuple[int, Mapping[str, Any]]]]] = {"csv": _rows_csv, "jsonl": _rows_jsonl}


def _count(value: Any, name: str) -> int | None:
    if value in (None, ""):
        return None
    number = int(str(value).strip()) if not isinstance(value, int) else value
    if number < 0:
        raise ValueError(f"{name} {value!r} is negative")
    return number


def read_records(
    path: Path, fmt: str, resolver: RegionResolver, column_map: Mapping[str, str] | None = None
) -> Iterator[dict[str, Any] | BadRecord]:
    """Post records ready for ``upsert_posts``, or a :class:`BadRecord` naming the line and the problem."""
    column_map = dict(column_map or {})
    for line, raw in READERS[fmt](path):
        if "__error__" in raw:
            yield BadRecord(line, raw["__error__"])
            continue
        row = {column_map.get(k, k): v for k, v in raw.items()}
        missing = [c for c in REQUIRED if c not in row]
        if missing:
            yield BadRecord(line, f"missing {', '.join(missing)} (use --map theirs=ours to rename columns)")
            continue
        try:
            yield _record(row, resolver)
        except (ValueError, TypeError) as exc:
            yield BadRecord(line, str(exc))
        except UnknownRegion as exc:
            yield BadRecord(line, str(exc))


def _record(row: Mapping[str, Any], resolver: RegionResolver) -> dict[str, Any]:
    for c in ("platform", "source", "post_id"):
        if row[c] in (None, ""):
            raise ValueError(f"{c} is empty")
    try:
        published = datetime.fromisoformat(str(row["published_at"]).strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"published_at {row['published_at']!r} is not an ISO-8601 date or time") from None
    if published.tzinfo is None:
        published = published.replace(tzinfo=timezone.utc)
    record: dict[str, Any] = {
        "platform": str(row["platform"]).strip().lower(),
        "source": str(row["source"]).strip(),
        "post_id": str(row["post_id"]).strip(),
        "published_at": published,
        "text": row["text"] or None,
        "author": row.get("author") or None,
        "url": row.get("url") or None,
    }
    for c in COUNTERS:
        try:
            record[c] = _count(row.get(c), c)
        except ValueError:
            raise ValueError(f"{c} {row.get(c)!r} is not a whole number") from None
    if row.get("region"):
        record["region_code"] = resolver.resolve(str(row["region"]))
    return record
