"""Mutations of real saved pages, for fuzzing the t.me/s parser (``tests/test_telegram_fuzz.py``,
``bench/fuzz_telegram.py``).

A mutation is a list of operations applied in order to a page's bytes: a value Telegram fills in (a date, a
post id, a counter, a cursor, a link) replaced by something hostile, the body cut short, a slice deleted or
repeated, bytes inserted (invalid UTF-8, NULs, thousands of nested tags), closing tags dropped. The property
tested with them: the parser never raises, and whatever it returns the warehouse can store.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

# Where Telegram writes values the parser reads; group 1 is the value.
TARGETS = {
    "date": re.compile(rb'datetime="([^"]*)"'),
    "post": re.compile(rb'data-post="([^"]*)"'),
    "cursor": re.compile(rb'data-before="([^"]*)"'),
    "link": re.compile(rb'href="([^"]*)"'),
    "views": re.compile(rb'tgme_widget_message_views">([^<]*)<'),
    "counter": re.compile(rb'counter_value">([^<]*)<'),
    "percent": re.compile(rb'poll_option_percent">([^<]*)<'),
    "text": re.compile(rb'js-message_text[^>]*>([^<]*)<'),
}
# Values seen in the wild or chosen to break naive parsing.
NASTY: tuple[bytes, ...] = (
    b"", b" ", b"\t\n", b"garbage", b"2023-13-45T99:99:99+00:00", b"0" * 400, b"9" * 400, "²³".encode(),
    "٣٤٥".encode(), "𝟘𝟙".encode(), b"-5", b"1e309", b"NaN", b"1.2.3K", b"\x00", b"\xff\xfe", b"\xed\xa0\x80",
    b"2023-02-28T07:47:53", b"9999-12-31T23:59:59+00:00", b"0001-01-01T00:00:00+00:00", b"1970-01-01T00:00:00Z",
    b"chan/", b"/123", b"a/b/c", b"chan/0", b"chan/99999999999999999999", b"javascript:alert(1)", b"?q=%23",
    b"99999999999999.9K", b"1,5M", b"&#0;", b"&#xD800;", b"<", b"]]>", b"<!--",
)
OPS = ("value", "cut", "delete", "repeat", "insert", "unclose")


@dataclass(frozen=True)
class Op:
    """One operation: ``kind`` from :data:`OPS`; ``where`` in [0, 1) picks a place; ``data`` is what goes in."""

    kind: str
    where: float
    data: bytes = b""
    target: str = "date"


def _at(page: bytes, where: float) -> int:
    return min(len(page), max(0, int(where * len(page))))


def apply(page: bytes, ops: Sequence[Op]) -> bytes:
    for op in ops:
        if op.kind == "value":
            found = list(TARGETS[op.target].finditer(page))
            if found:
                m = found[min(len(found) - 1, int(op.where * len(found)))]
                page = page[: m.start(1)] + op.data + page[m.end(1):]
        elif op.kind == "cut":
            page = page[: _at(page, op.where)]
        elif op.kind == "delete":
            i = _at(page, op.where)
            page = page[:i] + page[i + max(1, len(op.data) * 50):]
        elif op.kind == "repeat":
            i = _at(page, op.where)
            page = page[:i] + page[i: i + 2000] * 3 + page[i + 2000:]
        elif op.kind == "insert":
            i = _at(page, op.where)
            page = page[:i] + op.data + page[i:]
        elif op.kind == "unclose":
            closing = [m.start() for m in re.finditer(rb"</(?:div|a|span|b|i)>", page)]
            if closing:
                i = closing[min(len(closing) - 1, int(op.where * len(closing)))]
                page = page[:i] + page[page.index(b">", i) + 1:]
    return page


def random_ops(rng: random.Random) -> list[Op]:
    """One to four operations, drawn as :func:`apply` takes them (for the benchmark's seeded runs)."""
    ops = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(OPS)
        if kind == "insert":
            data = rng.choice([rng.randbytes(rng.randint(1, 40)), b"<b>" * rng.randint(1, 5000),
                               rng.choice(NASTY), b"<div class='tgme_widget_message' data-post='x/1'>"])
        else:
            data = rng.choice(NASTY) if kind == "value" or rng.random() < 0.5 else rng.randbytes(rng.randint(1, 30))
        ops.append(Op(kind, rng.random(), data, rng.choice(list(TARGETS))))
    return ops
