"""What the warehouse accepts, column by column, and the SQL that checks a staged table row by row.

A table to import is first staged as text (every column VARCHAR, plus the line it came from); a list of
:class:`Column` specs then yields one vectorised query that names every problem of every row, and the
expressions that turn a good row into typed values. Nothing reaches the warehouse tables before the whole
file passed, so an import commits all at once or not at all. Posts and petitions share this code; only their
column lists differ.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Literal

import duckdb

EARLIEST = datetime(1990, 1, 1, tzinfo=timezone.utc)
MAX_COUNT = 2**63 - 1  # DuckDB BIGINT
PLATFORMS = ("telegram", "vk", "youtube", "news", "petition", "import")
LINE = "__line"  # the staged column holding the line each row starts on in its file
PROBLEM = "__problem"  # the staged column saying why a whole record cannot be read, else NULL

Kind = Literal["choice", "name", "id", "text", "count", "time", "lookup", "json", "tags"]
# What a JSON value of each kind may be, in the words of a refusal (default: a string).
_JSON_WORDS = {"id": "number or string", "count": "number or string", "tags": "list or string"}
# A short lower-case name (a petition platform: egov, change.org): it becomes part of ids and source handles.
NAME_PATTERN = "[a-z0-9][a-z0-9._-]*"
# JSON types a JSON Lines value may have, per kind (json_type() names); NULL means absent or null.
_JSON_TYPES: dict[str, tuple[str, ...]] = {
    "choice": ("VARCHAR",),
    "name": ("VARCHAR",),
    "id": ("VARCHAR", "BIGINT", "UBIGINT"),
    "text": ("VARCHAR",),
    "count": ("BIGINT", "UBIGINT", "VARCHAR"),
    "time": ("VARCHAR",),
    "lookup": ("VARCHAR",),
    "json": ("OBJECT", "ARRAY", "VARCHAR", "BIGINT", "UBIGINT", "DOUBLE", "BOOLEAN"),
    "tags": ("ARRAY", "VARCHAR"),
}


def plausible_time(value: datetime) -> bool:
    """A post's time: between 1990 and tomorrow (a later one is a clock or parsing error)."""
    return EARLIEST <= value <= datetime.now(timezone.utc) + timedelta(days=1)


def ident(name: str) -> str:
    """A column name quoted for SQL, whatever characters a file's header uses."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass(frozen=True)
class Column:
    """One column a staged table may have: ``required`` values must be present and not blank.

    ``lookup`` columns are resolved through a two-column relation ``(key, value)`` named by ``lookup`` that
    the caller registers; a key it does not resolve is a problem of the row. ``name`` is a short lower-cased
    name (:data:`NAME_PATTERN`); ``tags`` a list: a JSON list of strings, or one text separated by semicolons.
    """

    name: str
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()
    lookup: str | None = None

    @property
    def raw(self) -> str:
        return ident(self.name)

    def _trimmed(self) -> str:
        return f"nullif(trim({self.raw}), '')"

    def value(self) -> str:
        """The typed value of a row that passed :meth:`problem` (over the :meth:`prepared` columns)."""
        v = self._alias("v")
        if self.kind in ("choice", "name"):
            return f"lower({v})"
        if self.kind == "tags":  # a JSON list, else "a;b"; blanks dropped, an empty list is NULL
            items = (f"list_filter(list_transform(CASE WHEN json_valid({v}) AND json_type({v}::JSON) = 'ARRAY' "
                     f"THEN json_extract_string({v}::JSON, '$[*]') ELSE string_split({v}, ';') END, "
                     f"x -> trim(x)), x -> x IS NOT NULL AND x <> '')")
            return f"CASE WHEN len({items}) > 0 THEN {items} END"
        if self.kind == "count":
            return self._alias("n")
        if self.kind == "time":
            return self._alias("t")
        if self.kind == "lookup":
            return f"(SELECT l.value FROM {self.lookup} l WHERE l.key = {v})"
        if self.kind == "text":
            return f"nullif({self.raw}, '')"
        return v

    def prepared(self) -> dict[str, str]:
        """Computed once per row when the table is staged, then read by both the checks and the write: the
        trimmed value and, by kind, its cast. Text is read as it is: a trimmed copy of every post would cost
        more than reading the file."""
        if self.kind == "text":
            return {}
        out = {self._alias("v"): self._trimmed()}
        if self.kind == "count":
            out[self._alias("n")] = f"TRY_CAST({self._trimmed()} AS BIGINT)"
        elif self.kind == "time":
            out[self._alias("t")] = f"TRY_CAST({self._trimmed()} AS TIMESTAMPTZ)"
        return out

    def _alias(self, what: str) -> str:
        return ident(f"__{what}_{self.name}")

    def problem(self, json_types: bool) -> str:
        """A SQL expression over :meth:`prepared` naming what is wrong with this column of a row, or NULL."""
        v = self._trimmed() if self.kind == "text" else self._alias("v")
        shown = f"'''' || left({self.raw}, 60) || ''''"  # the value, cut short and in single quotes
        checks: list[tuple[str, str]] = []
        if json_types:
            allowed = ", ".join(map(literal, _JSON_TYPES[self.kind]))
            type_col = ident(f"__type_{self.name}")
            checks.append((f"{type_col} IS NOT NULL AND {type_col} <> 'NULL' AND {type_col} NOT IN ({allowed})",
                           f"'{self.name} is a JSON ' || lower({type_col}) || ', not a "
                           f"{_JSON_WORDS.get(self.kind, 'string')}'"))
        if self.required and json_types:  # a key the record lacks, likely named otherwise by the file
            checks.append((f"{ident(f'__type_{self.name}')} IS NULL",
                           f"'{self.name} is missing (rename keys with --map theirs=ours)'"))
        if self.required:
            checks.append((f"{v} IS NULL", f"'{self.name} is empty'"))
        if self.kind == "choice":
            allowed = ", ".join(map(literal, self.choices))
            checks.append((f"{v} IS NOT NULL AND lower({v}) NOT IN ({allowed})",
                           f"'{self.name} ' || {shown} || ' is not one of {', '.join(self.choices)}'"))
        elif self.kind == "name":
            checks.append((f"{v} IS NOT NULL AND NOT regexp_full_match(lower({v}), '{NAME_PATTERN}')",
                           f"'{self.name} ' || {shown} || ' is not a short name like egov or change.org'"))
        elif self.kind == "count":  # digits only: DuckDB's own cast would take 5.5, 1e3, 0x10 and 1_000
            checks.append((f"{v} IS NOT NULL AND ({self._alias('n')} IS NULL OR ltrim({v}, '0123456789') <> '')",
                           f"'{self.name} ' || {shown} || ' is not a whole number from 0 to {MAX_COUNT}'"))
        elif self.kind == "time":
            ts = self._alias("t")
            checks.append((f"{v} IS NOT NULL AND {ts} IS NULL",
                           f"'{self.name} ' || {shown} || ' is not an ISO-8601 date or time'"))
            checks.append((f"{ts} < TIMESTAMPTZ '{EARLIEST.isoformat()}' OR {ts} > now() + INTERVAL 1 DAY",
                           f"'{self.name} ' || {shown} || ' is before 1990 or after tomorrow'"))
        elif self.kind == "lookup":
            checks.append((f"{v} IS NOT NULL AND {self.value()} IS NULL", f"'unknown {self.name} ' || {shown}"))
        elif self.kind == "json":
            checks.append((f"{v} IS NOT NULL AND TRY_CAST({v} AS JSON) IS NULL",
                           f"'{self.name} ' || {shown} || ' is not JSON'"))
        return "CASE " + " ".join(f"WHEN {cond} THEN {msg}" for cond, msg in checks) + " END" if checks else "NULL"


def problems_query(staged: str, columns: Sequence[Column], *, json_types: bool = False,
                   checks: Sequence[str] = ()) -> str:
    """Rows of ``staged`` with a problem, ``(line, problem)`` in file order: the record's own ``__problem``
    when it could not be read at all, else every column's problem and every one of ``checks`` (SQL expressions
    across columns or rows, over the prepared columns, giving a problem or NULL) joined by "; "."""
    parts = ", ".join([*(c.problem(json_types) for c in columns), *checks]) or "NULL"
    return (f"SELECT line, problem FROM (SELECT {LINE} AS line, rowid AS row_, coalesce({PROBLEM}, "
            f"nullif(concat_ws('; ', {parts}), '')) AS problem FROM {staged}) "
            "WHERE problem IS NOT NULL ORDER BY line, row_")


def prepared_select(columns: Sequence[Column], present: Iterable[str]) -> str:
    """The select list a staging query adds: :meth:`Column.prepared` of each column the file has."""
    have = set(present)
    return "".join(f", {expr} AS {alias}" for c in columns if c.name in have for alias, expr in c.prepared().items())


def find_problems(con: duckdb.DuckDBPyConnection, staged: str, columns: Sequence[Column], *,
                  json_types: bool = False, checks: Sequence[str] = ()) -> list[tuple[int | None, str]]:
    """Every ``(line, problem)`` of the staged rows (line None where the reader did not keep lines)."""
    return con.execute(problems_query(staged, columns, json_types=json_types, checks=checks)).fetchall()
