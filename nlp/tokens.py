"""Tokenisation shared by the fast processing path and the spaCy pipeline, so both see the same words:
words (letters, inner hyphens and apostrophes), numbers, line breaks, and single punctuation marks."""

from __future__ import annotations

import re

TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+(?:[.,:]\d+)*|\n|[^\w\s]|_+")
CLAUSE_BREAKS = frozenset(".!?;:,—–()«»\"\n…")


def tokenize(text: str) -> list[str]:
    return TOKEN.findall(text)


def spans(text: str) -> list[tuple[str, bool]]:
    """Tokens other than line breaks, each with whether whitespace follows it (for spaCy's Doc)."""
    out = []
    for m in TOKEN.finditer(text):
        if m.group() != "\n":
            end = m.end()
            out.append((m.group(), end < len(text) and text[end].isspace()))
    return out


def is_word(token: str) -> bool:
    return token[0].isalpha()
