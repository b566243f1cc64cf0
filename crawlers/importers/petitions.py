"""Reading petitions from CSV and JSON Lines files, strictly and with line numbers, and storing them all or nothing.

A row is one petition as read at one moment: its fields and its signature count then. The file is read with the
post importers' pieces (encoding detection, the CSV reader that knows each record's true line, the same
delimiters and bad-row reports), checked whole, and written in one transaction: the petitions, a signature
snapshot each, and each petition's title and text as a post of platform ``petition`` (so ``qatysu process`` gives
it a language, lemmas and regions). Petition files are small (thousands of rows), so the rows are checked in
Python rather than staged in DuckDB as post files are.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from qatysu.crawlers.importers.csv_lines import Broken, records, undecodable
from qatysu.crawlers.importers.encoding import detect, normalise
from qatysu.crawlers.importers.load import MAX_REPORTED, BadRow
from qatysu.crawlers.importers.tables import DELIMITERS
from qatysu.warehouse import Warehouse, WarehouseError, load_author_key
from qatysu.warehouse.crawls import finish_run, start_run
from qatysu.warehouse.petitions import PetitionWrite, petition_uid_for, write_petitions
from qatysu.warehouse.regions import RegionResolver, UnknownRegion

REQUIRED = ("platform", "petition_id", "title", "created_at", "signatures")
# Platform names become part of ids and source handles: keep them to what a domain or a short name uses.
_PLATFORM = re.compile(r"^[a-z0-9][a-z0-9._-]*$")

Row = tuple[int, Mapping[str, Any] | str]  # (line, fields) or (line, why the record cannot be read)


class PetitionsRefused(WarehouseError):
    def __init__(self, file: Path, bad: list[BadRow]):
        shown = "\n  ".join(map(str, bad[:MAX_REPORTED]))
        more = f"\n  … and {len(bad) - MAX_REPORTED} more" if len(bad) > MAX_REPORTED else ""
        super().__init__(f"{file}: {len(bad)} bad row(s); nothing was imported:\n  {shown}{more}")


@dataclass(frozen=True)
class PetitionsImported:
    run_id: str
    new: int
    updated: int
    snapshots: int


def _rows_csv(path: Path, encoding: str) -> Iterator[Row]:
    with path.open(encoding=encoding, errors="surrogateescape", newline="") as fh:
        first = fh.readline()
        # the delimiter that shows most of the required columns (Excel writes ";" in ru-RU and kk-KZ)
        delimiter, names = max(
            ((d, [n.strip() for n in next(csv.reader(io.StringIO(first), delimiter=d), [])]) for d in DELIMITERS),
            key=lambda found: (sum(n in REQUIRED for n in found[1]), len(found[1])))
        for record in records(fh, len(names), delimiter, first_line=2):
            if isinstance(record, Broken):
                yield record.line, record.problem
                continue
            line, fields = record
            yield line, undecodable("".join(fields)) or dict(zip(names, fields))


def _rows_jsonl(path: Path, encoding: str) -> Iterator[Row]:
    with path.open(encoding=encoding, errors="surrogateescape") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            if bad := undecodable(line):
                yield number, bad
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, f"not valid JSON ({exc.msg} at column {exc.colno})"
                continue
            yield number, obj if isinstance(obj, dict) else "not a JSON object"


READERS = {"csv": _rows_csv, "jsonl": _rows_jsonl}


def _time(row: Mapping[str, Any], name: str) -> datetime | None:
    value = row.get(name)
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{name} {value!r} is not an ISO-8601 date or time") from None
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed


def _whole(row: Mapping[str, Any], name: str) -> int | None:
    value = row.get(name)
    if value in (None, ""):
        return None
    try:
        number = value if isinstance(value, int) and not isinstance(value, bool) else int(str(value).strip())
    except ValueError:
        raise ValueError(f"{name} {value!r} is not a whole number") from None
    if number < 0:
        raise ValueError(f"{name} {value!r} is negative")
    return number


def _tags(value: Any) -> list[str] | None:
    """Tags as a JSON list, or as one text separated by semicolons (CSV)."""
    if value in (None, ""):
        return None
    items = value if isinstance(value, list) else str(value).split(";")
    return [t for t in (str(i).strip() for i in items) if t] or None


def _petition(row: Mapping[str, Any], resolver: RegionResolver) -> PetitionWrite:
    for c in ("platform", "petition_id", "title"):
        if row[c] in (None, "") or not str(row[c]).strip():
            raise ValueError(f"{c} is empty")
    platform = str(row["platform"]).strip().lower()
    if not _PLATFORM.match(platform):
        raise ValueError(f"platform {row['platform']!r} is not a short name like egov or change.org")
    created = _time(row, "created_at")
    if created is None:
        raise ValueError("created_at is empty")
    signatures = _whole(row, "signatures")
    if signatures is None:
        raise ValueError("signatures is empty")
    closes = _time(row, "closes_at")
    if closes is not None and closes < created:
        raise ValueError(f"closes_at {row['closes_at']!r} is before created_at {row['created_at']!r}")
    region = str(row["region"]).strip() if row.get("region") not in (None, "") else None
    return PetitionWrite(
        platform=platform, petition_id=str(row["petition_id"]).strip(), url=row.get("url") or None,
        title=str(row["title"]).strip(), text=row.get("text") or None, author=row.get("author") or None,
        created_at=created, closes_at=closes,
        status=str(row["status"]).strip().lower() if row.get("status") not in (None, "") else None,
        target=row.get("target") or None, region_code=resolver.resolve(region) if region else None,
        topic_tags=_tags(row.get("topic_tags")), signatures=signatures, threshold=_whole(row, "threshold"),
        observed_at=_time(row, "observed_at"),
    )


def read_petitions(path: Path, fmt: str, resolver: RegionResolver, column_map: Mapping[str, str] | None = None,
                   encoding: str | None = None) -> Iterator[PetitionWrite | BadRow]:
    """Petitions ready to write, or a :class:`BadRow` naming the line and the problem; a petition that
    appears twice in one file is refused at its second line (which reading would be the right one?)."""
    column_map = dict(column_map or {})
    seen: dict[str, int] = {}
    for line, raw in READERS[fmt](path, normalise(encoding) if encoding else detect(path)):
        if isinstance(raw, str):
            yield BadRow(line, raw)
            continue
        row = {column_map.get(k, k): v for k, v in raw.items()}
        missing = [c for c in REQUIRED if c not in row]
        if missing:
            yield BadRow(line, f"missing {', '.join(missing)} (use --map theirs=ours to rename columns)")
            continue
        try:
            petition = _petition(row, resolver)
        except (ValueError, TypeError, UnknownRegion) as exc:
            yield BadRow(line, str(exc))
            continue
        uid = petition_uid_for(petition.platform, petition.petition_id)
        if uid in seen:
            yield BadRow(line, f"petition {uid} again (first at line {seen[uid]})")
            continue
        seen[uid] = line
        yield petition


def import_petitions(wh: Warehouse, path: Path, fmt: str, column_map: Mapping[str, str] | None = None,
                     encoding: str | None = None) -> PetitionsImported:
    """Check the whole file, then write it in one transaction; the run is recorded in ``crawl_runs``
    (``import-petitions``), a refused file as failed with its count of bad rows."""
    args = {"file": str(path), "format": fmt, "map": dict(column_map or {}), "encoding": encoding}
    with wh.reader(live=True) as con:
        resolver = RegionResolver.from_warehouse(con)
    key = load_author_key(wh.author_key_path)
    with wh.writer() as con:
        run_id = start_run(con, "import-petitions", args)
    bad: list[BadRow] = []
    try:
        rows = list(read_petitions(path, fmt, resolver, column_map, encoding))
        bad = [r for r in rows if isinstance(r, BadRow)]
        if bad:
            raise PetitionsRefused(path, bad)
        with wh.writer() as con:
            result = write_petitions(con, rows, author_key=key, now=datetime.now(timezone.utc))
            finish_run(con, run_id, status="finished", posts_new=result.new, posts_updated=result.updated, errors=0)
    except BaseException as exc:
        refused = isinstance(exc, PetitionsRefused)
        with wh.writer() as con:
            finish_run(con, run_id, status="failed (bad rows refused)" if refused else f"failed ({type(exc).__name__})",
                       posts_new=0, posts_updated=0, errors=len(bad) or 1)
        if isinstance(exc, OSError):  # unreadable, vanished: one line, no traceback
            raise WarehouseError(f"{path}: {exc.strerror or exc}") from exc
        raise
    return PetitionsImported(run_id, result.new, result.updated, result.snapshots)
