"""Regional indicators: reading long-format CSV files strictly, and writing them all or nothing.

A researcher's file is checked whole before anything is written, and every problem is reported with
its line number, so one run shows what to fix. The shipped reference data goes through the same checks.
"""

from __future__ import annotations

import calendar
import csv
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from qatysu.warehouse.regions import POST_SPLIT, PRE_SPLIT, SPLIT_DATE, RegionResolver, UnknownRegion
from qatysu.warehouse.store import WarehouseError, transaction

REQUIRED = ("indicator", "region", "period", "value")
OPTIONAL = ("unit", "source", "note", "boundary_version")
# Reference files name the key columns as the warehouse does.
_SYNONYMS = {"indicator_id": "indicator", "region_code": "region"}
PERCENT_UNITS = {"%", "percent", "pct"}
_INDICATOR_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_PERIOD = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(\d{2})(?:-(\d{2}))?))?$")
MAX_REPORTED = 25


@dataclass(frozen=True)
class Period:
    text: str
    start: date
    end: date


def parse_period(text: str) -> Period:
    """``YYYY``, ``YYYY-Qn``, ``YYYY-MM`` or ``YYYY-MM-DD`` → first and last day."""
    m = _PERIOD.match(text)
    if not m:
        raise ValueError(f"period {text!r} is not YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD")
    year = int(m[1])
    if m[2]:
        first_month = 3 * int(m[2]) - 2
        start = date(year, first_month, 1)
        end = date(year, first_month + 2, calendar.monthrange(year, first_month + 2)[1])
    elif m[4]:
        start = end = date(year, int(m[3]), int(m[4]))
    elif m[3]:
        start = date(year, int(m[3]), 1)
        end = date(year, int(m[3]), calendar.monthrange(year, int(m[3]))[1])
    else:
        start, end = date(year, 1, 1), date(year, 12, 31)
    return Period(text, start, end)


@dataclass
class Indicator:
    indicator_id: str
    name: str | None = None
    unit: str | None = None
    description: str | None = None
    source: str | None = None

    @property
    def is_percentage(self) -> bool:
        if self.unit:
            return self.unit.strip().lower() in PERCENT_UNITS
        return self.indicator_id.endswith(("_pct", "_percent"))


@dataclass(frozen=True)
class IndicatorValue:
    indicator_id: str
    region_code: str
    period: Period
    value: float
    boundary_version: str | None
    note: str | None
    line: int


@dataclass
class IndicatorFile:
    """A validated indicator file: indicators and their values, ready to write."""

    indicators: dict[str, Indicator] = field(default_factory=dict)
    values: list[IndicatorValue] = field(default_factory=list)


class IndicatorFileError(WarehouseError):
    def __init__(self, path: Path, problems: list[str]):
        self.problems = problems
        shown = problems[:MAX_REPORTED]
        more = f"\n  … and {len(problems) - MAX_REPORTED} more" if len(problems) > MAX_REPORTED else ""
        super().__init__(
            f"{path}: {len(problems)} problem(s), nothing was written:\n  " + "\n  ".join(shown) + more
        )


def read_indicator_csv(
    path: Path, resolver: RegionResolver, known: Iterable[Indicator] = ()
) -> IndicatorFile:
    """Read and check a long-format indicator CSV; raise :class:`IndicatorFileError` listing every problem.

    ``known`` gives metadata (units) of indicators described elsewhere, so their values are checked too.
    """
    problems: list[str] = []
    parsed = IndicatorFile({i.indicator_id: i for i in known})
    seen: dict[tuple[str, str, str], int] = {}
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None:
                raise IndicatorFileError(path, ["the file is empty"])
            columns = [_SYNONYMS.get(h.strip().lower(), h.strip().lower()) for h in header]
            missing = [c for c in REQUIRED if c not in columns]
            if missing:
                raise IndicatorFileError(
                    path,
                    [f"line 1: missing column(s) {', '.join(missing)}; found {', '.join(header)}; "
                     f"expected {', '.join(REQUIRED)} and optionally {', '.join(OPTIONAL)}"],
                )
            unknown = [h for h, c in zip(header, columns) if c not in REQUIRED + OPTIONAL]
            if unknown:
                problems.append(f"line 1: unknown column(s) {', '.join(unknown)}")
            for row in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(columns):
                    problems.append(f"line {line}: {len(row)} fields, the header has {len(columns)}")
                    continue
                rec = {c: cell.strip() for c, cell in zip(columns, row)}
                problems.extend(_check_row(rec, line, resolver, parsed, seen))
    except UnicodeDecodeError as exc:
        raise IndicatorFileError(path, [f"the file is not UTF-8 text ({exc.reason} at byte {exc.start})"]) from exc
    if not parsed.values and not problems:
        problems.append("the file has a header but no values")
    problems.extend(_assign_boundaries(parsed, resolver))
    if problems:
        raise IndicatorFileError(path, problems)
    return parsed


def _check_row(
    rec: dict[str, str],
    line: int,
    resolver: RegionResolver,
    parsed: IndicatorFile,
    seen: dict[tuple[str, str, str], int],
) -> list[str]:
    problems = []
    ind_id = rec["indicator"]
    if not _INDICATOR_ID.match(ind_id):
        problems.append(
            f"line {line}: indicator {ind_id!r} must be lower-case letters, digits and _ (e.g. turnout_2023)"
        )
    indicator = parsed.indicators.setdefault(ind_id, Indicator(ind_id))
    for attr in ("unit", "source"):
        given = rec.get(attr) or None
        stored = getattr(indicator, attr)
        if given and stored and given != stored:
            problems.append(f"line {line}: {attr} {given!r} differs from {stored!r} given earlier for {ind_id}")
        elif given:
            setattr(indicator, attr, given)
    try:
        code = resolver.resolve(rec["region"]) if rec["region"] else None
        if code is None:
            problems.append(f"line {line}: region is empty")
    except UnknownRegion as exc:
        code = None
        problems.append(f"line {line}: {exc}")
    try:
        period = parse_period(rec["period"])
    except ValueError as exc:
        period = None
        problems.append(f"line {line}: {exc}")
    value = None
    try:
        value = float(rec["value"])
        if not math.isfinite(value):
            raise ValueError
    except ValueError:
        hint = " (use a dot for decimals)" if re.fullmatch(r"-?\d+,\d+", rec["value"]) else ""
        problems.append(f"line {line}: value {rec['value']!r} is not a number{hint}")
        value = None
    if value is not None and indicator.is_percentage and not 0 <= value <= 100:
        problems.append(f"line {line}: value {value:g} of percentage indicator {ind_id} is outside 0–100")
    boundary = rec.get("boundary_version") or None
    if boundary not in (None, PRE_SPLIT, POST_SPLIT):
        problems.append(f"line {line}: boundary_version must be {PRE_SPLIT} or {POST_SPLIT}, not {boundary!r}")
    if code and period:
        key = (ind_id, code, period.text)
        if key in seen:
            problems.append(
                f"line {line}: duplicate of line {seen[key]} ({ind_id}, {code}, {period.text})"
            )
        else:
            seen[key] = line
            region = resolver.regions[code]
            if not region.existed_on(period.end):
                problems.append(
                    f"line {line}: {code} ({region.name_en}) was created on {region.created}, after {period.text}"
                )
            elif value is not None:
                parsed.values.append(
                    IndicatorValue(ind_id, code, period, value, boundary, rec.get("note") or None, line)
                )
    return problems


def _assign_boundaries(parsed: IndicatorFile, resolver: RegionResolver) -> list[str]:
    """Decide the map of each value not given one: by date, or for a period spanning the split, by the codes used."""
    new_regions = {code for code, r in resolver.regions.items() if r.created}
    old_map = resolver.old_map_codes()
    uses_new: set[tuple[str, str]] = {
        (v.indicator_id, v.period.text) for v in parsed.values if v.region_code in new_regions
    }
    problems = []
    for i, v in enumerate(parsed.values):
        boundary = v.boundary_version
        if boundary is None:
            if v.period.end < SPLIT_DATE:
                boundary = PRE_SPLIT
            elif v.period.start >= SPLIT_DATE:
                boundary = POST_SPLIT
            else:
                boundary = POST_SPLIT if (v.indicator_id, v.period.text) in uses_new else PRE_SPLIT
        if boundary == PRE_SPLIT and v.region_code not in old_map:
            problems.append(f"line {v.line}: {v.region_code} is not a region of the pre-2022 map")
        parsed.values[i] = IndicatorValue(
            v.indicator_id, v.region_code, v.period, v.value, boundary, v.note, v.line
        )
    return problems


def write_indicators(con: duckdb.DuckDBPyConnection, parsed: IndicatorFile, *, origin: str) -> tuple[int, int]:
    """Store the indicators and their values in one transaction, replacing earlier loads of the same ids.

    A researcher's file may not overwrite reference indicators, nor the reverse.
    """
    with transaction(con):
        return store_indicators(con, parsed, origin=origin)


def store_indicators(
    con: duckdb.DuckDBPyConnection, parsed: IndicatorFile, *, origin: str, replace_origin: bool = False
) -> tuple[int, int]:
    """:func:`write_indicators` for a caller that holds the transaction. With ``replace_origin`` every
    indicator of that origin is removed first (how a new version of the shipped reference data replaces the old)."""
    ids = list(parsed.indicators)
    clash = con.execute(
        "SELECT indicator_id, origin FROM indicators WHERE list_contains(?, indicator_id) AND origin <> ?",
        [ids, origin],
    ).fetchall()
    if clash:
        names = ", ".join(f"{ind} ({other})" for ind, other in clash)
        raise WarehouseError(f"already in the warehouse with another origin: {names}; choose other indicator names")
    if replace_origin:
        con.execute(
            "DELETE FROM indicator_values WHERE indicator_id IN (SELECT indicator_id FROM indicators WHERE origin = ?)",
            [origin],
        )
        con.execute("DELETE FROM indicators WHERE origin = ?", [origin])
    con.execute("DELETE FROM indicator_values WHERE list_contains(?, indicator_id)", [ids])
    con.execute("DELETE FROM indicators WHERE list_contains(?, indicator_id)", [ids])
    con.executemany(
        "INSERT INTO indicators (indicator_id, name, unit, description, source, origin) VALUES (?, ?, ?, ?, ?, ?)",
        [[i.indicator_id, i.name or i.indicator_id, i.unit, i.description, i.source, origin]
         for i in parsed.indicators.values()],
    )
    con.executemany(
        """INSERT INTO indicator_values
               (indicator_id, region_code, period, period_start, value, boundary_version, note)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [[v.indicator_id, v.region_code, v.period.text, v.period.start, v.value, v.boundary_version, v.note]
         for v in parsed.values],
    )
    return len(ids), len(parsed.values)
