"""Tokenisation shared by the fast processing path and the spaCy pipeline, so both see the same words:
words (letters, inner hyphens and apostrophes), numbers, line breaks, and single punctuation marks."""

from __future__ import annotations

import re

_WORDS_AND_MARKS = r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+(?:[.,:]\d+)*|[^\w\s]|_+"
TOKEN = re.compile(_WORDS_AND_MARKS + r"|\n")
WORD_OR_MARK = re.compile(_WORDS_AND_MARKS)
CLAUSE_BREAKS = frozenset(".!?;:,—–()«»\"\n…")


def tokenize(text: str) -> list[str]:
    return TOKEN.findall(text)


def words_and_marks(text: str) -> list[str]:
    """Tokens without the line breaks (which only language id by clause needs)."""
    return WORD_OR_MARK.findall(text)


def spans(text: str) -> list[tuple[str, bool]]:
    """Tokens other than line breaks, each with whether whitespace follows it (for spaCy's Doc)."""
    out = []
    for m in WORD_OR_MARK.finditer(text):
        end = m.end()
        out.append((m.group(), end < len(text) and text[end].isspace()))
    return out

