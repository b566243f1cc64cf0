"""Region names and codes: matching what people write to ISO 3166-2:KZ codes, and the 2022 split.

On 8 June 2022 Abai Region was split from East Kazakhstan (KZ-63), Zhetysu from Almaty Region
(KZ-19) and Ulytau from Karaganda Region (KZ-35); data before that date is on the 17-unit map.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import duckdb

SPLIT_DATE = date(2022, 6, 8)
PRE_SPLIT = "pre-2022-06"
POST_SPLIT = "post-2022-06"

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SPACES = re.compile(r"\s+")
_OBL = re.compile(r"\bобл\b\.?")

# Kinds of alias a name in a data file may use; centres are cities, which are not their region.
DATA_FILE_ALIAS_KINDS = ("code", "name", "abbreviation", "former_name")


def alias_key(text: str) -> str:
    """Matching key: NFC, lower case, ё→е, one kind of dash, single spaces, «обл.» spelt out, no trailing dot."""
    key = unicodedata.normalize("NFC", text).lower().replace("ё", "е")
    key = _OBL.sub("область", key)
    key = _DASHES.sub("-", key)
    key = _SPACES.sub(" ", key).strip().rstrip(".")
    return key.replace(" - ", "-")


@dataclass(frozen=True)
class Region:
    code: str
    name_en: str
    split_from: str | None
    created: date | None

    def existed_on(self, day: date) -> bool:
        return self.created is None or day >= self.created


class UnknownRegion(LookupError):
    def __init__(self, given: str, suggestion: str | None):
        self.given = given
        self.suggestion = suggestion
        hint = f"; did you mean {suggestion}?" if suggestion else ""
        super().__init__(f"unknown region {given!r}{hint}")


class RegionResolver:
    """Resolves region codes and names (any language, old letter codes, abbreviations) to codes."""

    def __init__(self, regions: dict[str, Region], aliases: dict[str, tuple[str, str]]):
        self.regions = regions
        self._aliases = aliases  # alias key -> (region code, alias as written)

    @classmethod
    def from_warehouse(cls, con: duckdb.DuckDBPyConnection, kinds: tuple[str, ...] = DATA_FILE_ALIAS_KINDS):
        regions = {
            code: Region(code, name_en, split_from, created)
            for code, name_en, split_from, created in con.execute(
                "SELECT region_code, name_en, split_from, created FROM regions"
            ).fetchall()
        }
        rows = con.execute(
            "SELECT alias_key, region_code, alias FROM region_aliases WHERE list_contains(?, alias_kind)",
            [list(kinds)],
        ).fetchall()
        return cls(regions, {key: (code, alias) for key, code, alias in rows})

    def resolve(self, text: str) -> str:
        key = alias_key(text)
        if key in self._aliases:
            return self._aliases[key][0]
        close = difflib.get_close_matches(key, list(self._aliases), n=1, cutoff=0.6)
        if close:
            code, written = self._aliases[close[0]]
            raise UnknownRegion(text, f"{written!r} ({code})")
        raise UnknownRegion(text, None)

    def old_map_codes(self) -> set[str]:
        """Codes of the 17 units of the map in force until 7 June 2022."""
        return {code for code, region in self.regions.items() if region.split_from is None}
