"""Regions named in text, matched on lemmas so every inflected form counts («в Шымкенте», «Алматыда»,
«Қарағанды облысында»), longest name first, so «Алматы облысы» is the region and «Алматы» the city.

A one-word name that is also a common word counts only with evidence: «Орал» (Uralsk, and «орал», he
yelled), «Семей» (Semey, and «семей», of families) and «Рудный» when capitalised other than first in a
sentence or next to a place word («город Семей», «Орал қаласы»); «Абай» (the poet, streets named after
him) and «Жетісу» (also a verb) only next to a place word."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

CONFIDENCE = {"name": 0.9, "abbreviation": 0.9, "former_name": 0.8, "centre": 0.7}
AMBIGUOUS = {"алматы": "Алматы alone is read as Almaty city (KZ-75), not Almaty Region (KZ-19)"}
# One-word names that are also common words, by lemma: those a capital letter inside a sentence confirms,
# and those only a neighbouring place word does.
NEEDS_EVIDENCE = frozenset({"орал", "семей", "рудный"})
NEEDS_PLACE_WORD = frozenset({"абай", "жетісу", "жетысу"})
PLACE_WORDS = frozenset({"город", "г", "область", "обл", "район", "село", "поселок", "облыс", "қала", "аудан",
                         "ауыл", "кала"})


@dataclass(frozen=True)
class RegionMention:
    region_code: str
    confidence: float
    matched: str
    note: str | None = None


class RegionMatcher:
    """Built from (alias, region code, kind) rows, each alias lemmatised by ``lemmatize``."""

    def __init__(self, aliases: Iterable[tuple[str, str, str]], lemmatize: Callable[[str], list[str]]):
        self.patterns: dict[tuple[str, ...], tuple[str, str]] = {}
        for alias, code, kind in aliases:
            if kind == "code":
                continue
            key = tuple(lemmatize(alias))
            if key:
                self.patterns.setdefault(key, (code, kind))
        self.longest = max((len(k) for k in self.patterns), default=0)
        self.first = {k[0] for k in self.patterns}

    def find(self, lemmas: Sequence[str], named: Callable[[int], bool] | None = None) -> list[RegionMention]:
        """Regions named by a text's word lemmas; ``named(i)`` tells whether word i is written as a name
        (capitalised, not first in its sentence), the evidence a name that is also a common word needs."""
        first = self.first
        if first.isdisjoint(lemmas):  # most posts name no region: checked at C speed
            return []
        found: dict[str, RegionMention] = {}
        i = 0
        while i < len(lemmas):
            if lemmas[i] not in first:
                i += 1
                continue
            for n in range(min(self.longest, len(lemmas) - i), 0, -1):
                key = tuple(lemmas[i:i + n])
                if key in self.patterns and (n > 1 or self._evidenced(key[0], lemmas, i, named)):
                    code, kind = self.patterns[key]
                    text = " ".join(key)
                    mention = RegionMention(code, CONFIDENCE.get(kind, 0.7), text, AMBIGUOUS.get(text))
                    if mention.note:
                        mention = RegionMention(code, 0.6, text, mention.note)
                    if code not in found or found[code].confidence < mention.confidence:
                        found[code] = mention
                    i += n
                    break
            else:
                i += 1
        return sorted(found.values(), key=lambda m: (-m.confidence, m.region_code))

    @staticmethod
    def _evidenced(lemma: str, lemmas: Sequence[str], i: int, named: Callable[[int], bool] | None) -> bool:
        if lemma not in NEEDS_EVIDENCE and lemma not in NEEDS_PLACE_WORD:
            return True
        if (i and lemmas[i - 1] in PLACE_WORDS) or (i + 1 < len(lemmas) and lemmas[i + 1] in PLACE_WORDS):
            return True
        return lemma in NEEDS_EVIDENCE and named is not None and named(i)
