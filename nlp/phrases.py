"""Collocations per language (избирательный_участок, центральный_избирательный_комиссия), learnt from the
corpus with gensim's ``Phrases`` in two layers (bigrams, then trigrams over the bigrams), saved and reused.

The models are gensim ``FrozenPhrases`` with NPMI scoring, saved in gensim's own format. Two steps of
gensim's are done here at C speed, with the same results (a test compares them on real posts):
counting unigrams and adjacent pairs (``collections.Counter`` instead of a Python loop per token; gensim
then scores only the pairs seen ``min_count`` times, the others cannot pass), and joining a post's
phrases (gensim's greedy left-to-right join, skipped outright for a post none of whose pairs is a phrase,
which is most posts).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import accumulate, chain
from pathlib import Path

from gensim.models.phrases import FrozenPhrases, Phrases

DELIMITER = "_"


def _pairs(doc: list[str]) -> list[str]:
    return list(map(DELIMITER.join, zip(doc, doc[1:])))


def _join(doc: list[str], phrases: dict[str, float]) -> list[str]:
    """``doc`` with every pair that is a phrase joined, left to right (gensim's ``analyze_sentence``
    without connector words); ``doc`` itself when nothing is joined."""
    pairs = _pairs(doc)
    if phrases.keys().isdisjoint(pairs):
        return doc
    out, i, n = [], 0, len(doc)
    while i < n:
        if i + 1 < n and pairs[i] in phrases:
            out.append(pairs[i])
            i += 2
        else:
            out.append(doc[i])
            i += 1
    return out


def _frozen(docs: list[list[str]], min_count: int, threshold: float) -> FrozenPhrases:
    """The same model as ``Phrases(docs, min_count, threshold, scoring="npmi").freeze()``."""
    flat = list(chain.from_iterable(docs))
    words = Counter(flat)
    pairs = Counter(map(DELIMITER.join, zip(flat, flat[1:])))
    pairs.subtract(flat[end - 1] + DELIMITER + flat[end] for end in accumulate(map(len, docs[:-1])))  # not pairs

    # gensim keeps unigrams and joined pairs in one vocabulary, so a pair spelt like a joined token of the
    # layer below adds to its count: the merged count reproduces that.
    def count(token: str) -> int:
        return words.get(token, 0) + pairs.get(token, 0)

    candidates = [t for t, n in pairs.items() if n + words.get(t, 0) >= min_count]
    candidates += [t for t in words if DELIMITER in t and t not in pairs and count(t) >= min_count]
    vocab = {t: count(t) for t in candidates}
    for token in candidates:  # gensim scores a token by the counts of its first and last parts
        parts = token.split(DELIMITER)
        for part in (parts[0], parts[-1]):
            if part in words:
                vocab[part] = count(part)
    model = Phrases(min_count=min_count, threshold=threshold, scoring="npmi", delimiter=DELIMITER)
    model.vocab = vocab
    model.corpus_word_count = len(flat)
    return model.freeze()


class PhraseModel:
    def __init__(self, bigrams: FrozenPhrases, trigrams: FrozenPhrases):
        self.bigrams = bigrams
        self.trigrams = trigrams

    @classmethod
    def train(cls, documents: Iterable[list[str]], *, min_count: int = 5, threshold: float = 0.5) -> PhraseModel:
        """Trained on lemma lists; NPMI scoring (threshold in -1..1) so the threshold means the same on any corpus size."""
        return cls.train_and_join(list(documents), min_count=min_count, threshold=threshold)[0]

    @classmethod
    def train_and_join(
        cls, documents: list[list[str]], *, min_count: int = 5, threshold: float = 0.5
    ) -> tuple[PhraseModel, list[list[str]]]:
        """The trained model and each document with its phrases joined (as :meth:`apply` gives it), at the
        cost of training alone: the trigram layer is trained on the documents joined by the bigram layer."""
        docs = [d for d in documents if d]
        bigrams = _frozen(docs, min_count, threshold)
        joined = {id(d): _join(d, bigrams.phrasegrams) for d in docs}
        trigrams = _frozen(list(joined.values()), min_count, threshold)
        return cls(bigrams, trigrams), [_join(joined[id(d)], trigrams.phrasegrams) if d else d for d in documents]

    def apply(self, lemmas: list[str]) -> list[str]:
        """The lemma list with collocations joined."""
        return _join(_join(lemmas, self.bigrams.phrasegrams), self.trigrams.phrasegrams)

    def phrases_in(self, lemmas: list[str]) -> list[str]:
        joined = self.apply(lemmas)
        return [] if joined is lemmas else [t for t in joined if DELIMITER in t]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.bigrams.save(str(path.with_suffix(".bigrams")))
        self.trigrams.save(str(path.with_suffix(".trigrams")))

    @classmethod
    def load(cls, path: Path) -> PhraseModel:
        return cls(FrozenPhrases.load(str(path.with_suffix(".bigrams"))), FrozenPhrases.load(str(path.with_suffix(".trigrams"))))
