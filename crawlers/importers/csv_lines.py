"""Reading a CSV file record by record with the true line each record starts on, past broken records.

DuckDB reads clean files far faster; this reader is for the files it rejects: it reports every broken
record at the line where it starts and goes on with the next line, so one stray quote or one extra field
never costs the rows after it. A record runs over several lines only while a quoted field is open; when
such a record does not parse, only its first line is bad and reading resumes on the line after it.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# A field may hold a whole long post: the csv module's default limit is 131,072 characters.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

# A file is decoded with errors="surrogateescape": a byte its encoding cannot decode becomes U+DC80..U+DCFF.
_UNDECODABLE = re.compile("[\udc80-\udcff]")


def undecodable(text: str) -> str | None:
    """The problem of a record holding a byte its file's encoding cannot decode, else None."""
    m = _UNDECODABLE.search(text)
    return f"byte 0x{ord(m[0]) - 0xDC00:02x} is not valid in the file's encoding" if m else None


@dataclass(frozen=True)
class Broken:
    """A record that cannot be read as ``width`` fields."""

    line: int
    problem: str


def _parse(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))


def records(lines: Iterable[str], width: int, delimiter: str = ",", first_line: int = 1
            ) -> Iterator[tuple[int, list[str]] | Broken]:
    """``(line, fields)`` for each record of ``lines`` (read with ``newline=""``), or :class:`Broken`.

    Blank lines are skipped. ``first_line`` is the file line of the first of ``lines``.
    """
    source = iter(lines)
    pending: deque[str] = deque()
    line = first_line - 1
    while True:
        first = pending.popleft() if pending else next(source, None)
        if first is None:
            return
        line += 1
        start, taken = line, [first]
        quotes = first.count('"')
        while quotes % 2:
            more = pending.popleft() if pending else next(source, None)
            if more is None:
                break
            taken.append(more)
            line += 1
            quotes += more.count('"')
        text = "".join(taken)
        if not text.strip("\r\n"):
            continue
        rows: list[list[str]] = []
        problem = "a quoted field is never closed" if quotes % 2 else None
        if problem is None:
            try:
                rows = _parse(text, delimiter)
            except csv.Error as exc:
                problem = f"broken CSV ({exc})"
            else:
                if len(rows) != 1:
                    problem = "broken CSV (a quote is misplaced)"
        if problem is not None:
            # Where the record ends is unknown: only its first line is surely bad, so read the others again.
            yield Broken(start, problem)
            pending.extendleft(reversed(taken[1:]))
            line = start
        elif bad := undecodable(text):
            yield Broken(start, bad)
        elif len(rows[0]) != width:
            yield Broken(start, f"{len(rows[0])} fields where the header has {width}")
        else:
            yield start, rows[0]
