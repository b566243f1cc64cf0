"""The reference data shipped in ``warehouse/reference/``: regions, aliases, the 2022 crosswalk, indicators, and
the national votes (kind and date) whose turnout indicators make the region × vote panel.

Loaded at ``qatysu init`` when the shipped files differ from what the warehouse holds (their checksum
is kept in ``warehouse_meta``), so a second ``init`` does nothing and an upgraded Qatysu refreshes them.
"""

from __future__ import annotations

import csv
import hashlib
from importlib import resources
from pathlib import Path

import duckdb

from qatysu.warehouse.indicators import Indicator, read_indicator_csv, store_indicators
from qatysu.warehouse.regions import RegionResolver, alias_key
from qatysu.warehouse.store import transaction

_FILES = ("regions.csv", "region_aliases.csv", "indicators.csv", "indicator_values.csv", "votes.csv")
_CHECKSUM_KEY = "reference_checksum"


def reference_dir() -> Path:
    return Path(str(resources.files("qatysu.warehouse") / "reference"))


def _checksum() -> str:
    digest = hashlib.sha256()
    for name in _FILES:
        digest.update((reference_dir() / name).read_bytes())
    return digest.hexdigest()


def _read(name: str) -> list[dict[str, str]]:
    with (reference_dir() / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def region_aliases() -> list[tuple[str, str, str, str, str]]:
    """(alias, alias_key, region_code, lang, kind) of the shipped reference data, for callers without a warehouse."""
    return _alias_rows(_read("regions.csv"))


def _alias_rows(regions: list[dict[str, str]]) -> list[tuple[str, str, str, str, str]]:
    """Official names and codes from regions.csv plus the curated aliases; one row per (key, region)."""
    rows: dict[tuple[str, str], tuple[str, str, str, str, str]] = {}

    def add(alias: str, code: str, lang: str, kind: str) -> None:
        if alias:
            rows.setdefault((alias_key(alias), code), (alias, alias_key(alias), code, lang, kind))

    for r in regions:
        code = r["region_code"]
        for alias, lang, kind in (
            (code, "code", "code"),
            (r["code_before_2022"], "code", "code"),
            (r["kato_prefix"], "code", "code"),
            (r["name_en"], "en", "name"),
            (r["name_kk"], "kk", "name"),
            (r["name_ru"], "ru", "name"),
        ):
            add(alias, code, lang, kind)
    for a in _read("region_aliases.csv"):
        add(a["alias"], a["region_code"], a["lang"], a["alias_kind"])
    return list(rows.values())


def load_reference(con: duckdb.DuckDBPyConnection, *, force: bool = False) -> bool:
    """Load the shipped reference data if it changed; return True when it was (re)loaded."""
    checksum = _checksum()
    stored = con.execute("SELECT value FROM warehouse_meta WHERE key = ?", [_CHECKSUM_KEY]).fetchone()
    if stored and stored[0] == checksum and not force:
        return False
    regions = _read("regions.csv")
    with transaction(con):
        for table in ("regions", "region_aliases", "region_crosswalk"):
            con.execute(f"DELETE FROM {table}")
        con.executemany(
            """INSERT INTO regions (region_code, code_before_2022, kato_prefix, kind, name_en, name_kk, name_ru,
                                    split_from, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [[r["region_code"], r["code_before_2022"] or None, r["kato_prefix"], r["kind"], r["name_en"],
              r["name_kk"], r["name_ru"], r["split_from"] or None, r["created"] or None] for r in regions],
        )
        con.executemany(
            "INSERT INTO region_aliases (alias, alias_key, region_code, lang, alias_kind) VALUES (?, ?, ?, ?, ?)",
            _alias_rows(regions),
        )
        con.executemany(
            "INSERT INTO region_crosswalk (old_code, new_code) VALUES (?, ?)",
            # Every region lies in itself on the old map, or in the region it was split from.
            [[r["split_from"] or r["region_code"], r["region_code"]] for r in regions],
        )
        parsed = read_indicator_csv(
            reference_dir() / "indicator_values.csv",
            RegionResolver.from_warehouse(con),
            known=[Indicator(**meta) for meta in _read("indicators.csv")],
        )
        store_indicators(con, parsed, origin="reference", replace_origin=True)
        con.execute("DELETE FROM votes")
        con.executemany("INSERT INTO votes (vote_id, indicator_id, kind, vote_date, name) VALUES (?, ?, ?, ?, ?)",
                        [[v["vote_id"], v["indicator_id"], v["kind"], v["vote_date"], v["name"]]
                         for v in _read("votes.csv")])
        con.execute("INSERT OR REPLACE INTO warehouse_meta (key, value) VALUES (?, ?)", [_CHECKSUM_KEY, checksum])
    return True
