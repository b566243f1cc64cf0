"""Tables of word forms: what each form reads as, computed once per form and shared between processes.

A corpus repeats a few ten thousand word forms a million times, so each token costs one dict lookup (mapped
over a post's tokens in C) and the readers (language id, lemmatisers) run once per form. Processes analysing
parts of one corpus meet mostly the same forms: each hands the others what it has read since it last did
(:meth:`FormTable.fresh`), and they take it (:meth:`FormTable.teach`) instead of reading those forms again.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice
from typing import Any


class FormTable(dict):
    """form → value, computed by ``read`` the first time a form is seen."""

    LIMIT = 1_000_000  # forms kept; an endless stream of new forms starts over rather than grow

    def __init__(self, read: Callable[[str], Any]):
        super().__init__()
        self.read = read
        self._handed = 0  # the entries before this one were handed on by fresh() or taught

    def __missing__(self, form: str) -> Any:
        if len(self) >= self.LIMIT:
            self.forget()
        value = self[form] = self.read(form)
        return value

    def forget(self) -> None:
        self.clear()
        self._handed = 0

    def fresh(self) -> dict[str, Any]:
        """The forms read here since the last call, with their values (entries are kept in the order they came)."""
        out = dict(islice(self.items(), self._handed, None))
        self._handed = len(self)
        return out

    def teach(self, entries: dict[str, Any]) -> None:
        """Take forms another process has read; they are not handed on again."""
        if len(self) + len(entries) >= self.LIMIT:
            self.forget()
        caught_up = self._handed == len(self)
        for form, value in entries.items():
            self.setdefault(form, value)
        if caught_up:
            self._handed = len(self)
