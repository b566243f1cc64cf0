"""The sandbox of ``qatysu sql``: one read-only statement that reaches nothing but the warehouse.

A read-only connection alone is no sandbox: DuckDB can still read any file (``read_text`` of the author
key), write any file (``COPY … TO`` over the warehouse itself), attach other databases and install
extensions from the network. The connection is therefore opened with external access disabled and its
configuration locked (no statement can turn it back on), and each statement is checked before it runs,
so that a refused form gets a message saying what to use instead rather than DuckDB's permission error. The
check is needed for safety too: with external access disabled DuckDB still lets a connection read its own
database file and write its write-ahead log (``COPY … TO 'qatysu.duckdb.wal'`` would damage the warehouse).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from qatysu.warehouse.store import Warehouse, WarehouseError

# DuckDB settings of a sandboxed reader; lock_configuration comes last, once the others are in force.
SANDBOX_CONFIG = {"enable_external_access": False, "lock_configuration": True}

_INSTEAD = {
    "COPY": "to save a result, let Qatysu write it: qatysu sql \"SELECT …\" --out result.csv (or .parquet, .xlsx)",
    "EXPORT": "to copy the warehouse, use `qatysu export parquet DIR` or `qatysu backup DIR`",
    "IMPORT": "to load data, use `qatysu import csv|jsonl|telegram-export FILE` or `qatysu indicators load FILE`",
    "ATTACH": "qatysu sql reads one warehouse: choose another with --db",
    "DETACH": "qatysu sql reads one warehouse: choose another with --db",
    "USE": "qatysu sql reads one warehouse: choose another with --db",
    "INSTALL": "extensions cannot be installed or loaded here; the documented views and macros need none",
    "LOAD": "extensions cannot be installed or loaded here; the documented views and macros need none",
    "FORCE": "extensions cannot be installed or loaded here; the documented views and macros need none",
    "SET": "settings are fixed in qatysu sql",
    "RESET": "settings are fixed in qatysu sql",
    "PRAGMA": "settings are fixed in qatysu sql; `qatysu schema` lists the tables, views and columns",
    "CALL": "call a table function as SELECT * FROM f(…)",
}
_ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
_LEADING_NOISE = re.compile(r"(\s+|--[^\n]*\n?|/\*.*?\*/|\()", re.S)
_WORD = re.compile(r"[A-Za-z_]+")
# String literals, quoted names and comments, blanked before looking for calls of file-reading functions. DuckDB
# allows its own database file even with external access disabled, so these are refused by name as well.
_LITERALS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/", re.S)
_FILE_READER = re.compile(r"\b(read_\w+|\w+_scan|parquet_\w+|glob|sniff_csv)\s*\(", re.I)


class QueryRefused(WarehouseError):
    """A statement ``qatysu sql`` does not run."""


class QueryFailed(WarehouseError):
    """DuckDB could not run the query (a mistake in it, or the sandbox stopped it)."""


def _first_word(sql: str) -> tuple[str, int]:
    """The statement's first keyword, upper-cased, and where the text after it starts."""
    pos = 0
    while m := _LEADING_NOISE.match(sql, pos):
        pos = m.end()
    word = _WORD.match(sql, pos)
    return (word.group(0).upper(), word.end()) if word else ("", pos)


def check_statement(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Raise :class:`QueryRefused` unless ``sql`` is one SELECT (or EXPLAIN of one) that calls no function that
    reads files."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryFailed(_explain(exc)) from exc
    if not statements:
        raise QueryRefused("no SQL statement given")
    if len(statements) > 1:
        raise QueryRefused(f"one statement at a time: found {len(statements)} separated by ';'")
    statement = statements[0]
    word, end = _first_word(statement.query)
    for said in (_first_word(sql)[0], word):  # DuckDB hands a PRAGMA back rewritten as a SELECT
        if said in _INSTEAD:
            raise QueryRefused(f"{said} is not run by qatysu sql: {_INSTEAD[said]}")
    if statement.type not in _ALLOWED:
        raise QueryRefused(f"{word or statement.type.name} is not run: qatysu sql is read-only (SELECT, WITH, "
                           "FROM, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN); data comes in with `qatysu import`, "
                           "`qatysu indicators load` and the pipeline's steps")
    if statement.type == duckdb.StatementType.EXPLAIN:  # EXPLAIN ANALYZE runs what it explains
        inner = statement.query[end:]
        if _first_word(inner)[0] == "ANALYZE":
            inner = inner[_first_word(inner)[1]:]
        check_statement(con, inner)
        return
    code = _LITERALS.sub(" ", statement.query)
    if readers := sorted({m.group(1) for m in _FILE_READER.finditer(code)}):
        raise QueryRefused(f"{', '.join(readers)} reads files, which qatysu sql does not: it reads only the "
                           "warehouse. Load a file of your own with `qatysu import` or `qatysu indicators load`, "
                           "or open it in DuckDB yourself")


def _explain(exc: duckdb.Error) -> str:
    """The message of a failed query, with what to do when the sandbox stopped it."""
    if isinstance(exc, duckdb.PermissionException):
        return ("qatysu sql reads only the warehouse, not files or the network "
                f"({str(exc).splitlines()[0]}); load a file of your own with `qatysu import` or "
                "`qatysu indicators load`, or open it in DuckDB yourself")
    message = str(exc).split("\n\n")[0]  # DuckDB's message and hint, without the echo of the query
    return "query failed: " + " ".join(line.strip() for line in message.splitlines())


def _is_damage(exc: duckdb.Error) -> bool:
    """Whether the error comes from a damaged database file rather than from the query."""
    return (isinstance(exc, (duckdb.IOException, duckdb.SerializationException, duckdb.InternalException))
            or "Corrupt database file" in str(exc))


@contextmanager
def sandboxed_query(wh: Warehouse, sql: str, *, live: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Check and run ``sql`` in a sandboxed reader of the snapshot (or, with ``live``, of the warehouse); yields
    the executed cursor. A snapshot found damaged while the query reads it is rebuilt and the query run again."""
    for last in (False, True):
        with wh.reader(live=live, config=SANDBOX_CONFIG) as con:
            check_statement(con, sql)
            try:
                cursor = con.execute(sql)
            except duckdb.Error as exc:
                if last or live or not _is_damage(exc):
                    raise QueryFailed(_explain(exc)) from exc
            else:
                yield cursor
                return
        wh.publish_snapshot()
