"""Collocations per language (избирательный_участок, центральный_избирательный_комиссия), learnt from the
corpus with gensim's ``Phrases`` in two passes (bigrams, then trigrams), saved and reused."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from gensim.models.phrases import FrozenPhrases, Phrases

DELIMITER = "_"


class PhraseModel:
    def __init__(self, bigrams: FrozenPhrases, trigrams: FrozenPhrases):
        self.bigrams = bigrams
        self.trigrams = trigrams

    @classmethod
    def train(cls, documents: Iterable[list[str]], *, min_count: int = 5, threshold: float = 0.5) -> PhraseModel:
        """Trained on lemma lists; NPMI scoring (threshold in -1..1) so the threshold means the same on any corpus size."""
        docs = [d for d in documents if d]
        bigrams = Phrases(docs, min_count=min_count, threshold=threshold, scoring="npmi", delimiter=DELIMITER).freeze()
        trigrams = Phrases(bigrams[docs], min_count=min_count, threshold=threshold, scoring="npmi",
                           delimiter=DELIMITER).freeze()
        return cls(bigrams, trigrams)

    def apply(self, lemmas: list[str]) -> list[str]:
        """The lemma list with collocations joined."""
        return self.trigrams[self.bigrams[lemmas]]

    def phrases_in(self, lemmas: list[str]) -> list[str]:
        return [t for t in self.apply(lemmas) if DELIMITER in t]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.bigrams.save(str(path.with_suffix(".bigrams")))
        self.trigrams.save(str(path.with_suffix(".trigrams")))

    @classmethod
    def load(cls, path: Path) -> PhraseModel:
        return cls(FrozenPhrases.load(str(path.with_suffix(".bigrams"))), FrozenPhrases.load(str(path.with_suffix(".trigrams"))))
