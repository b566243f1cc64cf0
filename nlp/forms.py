"""Tables of word forms: what each form reads as, computed once per form and shared between processes.

A corpus repeats a few ten thousand word forms a million times, so each token costs one dict lookup (mapped
over a post's tokens in C) and the readers (language id, lemmatisers) run once per form. Processes analysing
parts of one corpus meet mostly the same forms: each hands the others what it has read since it last did
(:meth:`FormTable.fresh`), and they take it (:meth:`FormTable.teach`) instead of reading those forms again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class FormTable(dict):
    """form → value, computed by ``read`` the first time a form is seen."""

    LIMIT = 1_000_000  # forms kept; an endless stream of new forms starts over rather than grow

    def __init__(self, read: Callable[[str], Any]):
        super().__init__()
        self.read = read
        # the forms read here since fresh() was last called; None until the process shares forms (the first
        # fresh() or teach()), so that a process that never does keeps no second table
        self._fresh: dict[str, Any] | None = None

    def __missing__(self, form: str) -> Any:
        if len(self) >= self.LIMIT:
            self.forget()
        value = self[form] = self.read(form)
        if self._fresh is not None:
            self._fresh[form] = value
        return value

    def forget(self) -> None:
        self.clear()
        if self._fresh is not None:
            self._fresh = {}

    def _share(self) -> dict[str, Any]:
        if self._fresh is None:
            self._fresh = dict(self)  # nothing was taught before: every form here was read here
        return self._fresh

    def fresh(self) -> dict[str, Any]:
        """The forms read here since the last call, with their values (kept aside as they are read: finding
        them among all forms would cost a pass over the table per call)."""
        out = self._share()
        self._fresh = {}
        return out

    def teach(self, entries: dict[str, Any]) -> None:
        """Take forms another process has read; they are not handed on again. A form reads the same in every
        process, so one read here too is simply replaced by its equal."""
        self._share()
        if len(self) + len(entries) >= self.LIMIT:
            self.forget()
        self.update(entries)
