"""Collocations per language (избирательный_участок, центральный_избирательный_комиссия), learnt from the
corpus with gensim's ``Phrases`` in two layers (bigrams, then trigrams over the bigrams), saved and reused.

The models are gensim ``FrozenPhrases`` with NPMI scoring, saved in gensim's own format. Two steps of
gensim's are done here at C speed, with the same results (a test compares them on real posts):
counting unigrams and adjacent pairs (as integer codes with numpy instead of a Python loop per token;
gensim then scores only the pairs seen ``min_count`` times, the others cannot pass), and joining a
post's phrases (gensim's greedy left-to-right join, skipped outright for a post none of whose pairs is a
phrase, which is most posts).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain, compress
from pathlib import Path

import numpy as np
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
    """The same model as ``Phrases(docs, min_count, threshold, scoring="npmi").freeze()``: tokens and adjacent
    pairs are counted as integer codes with numpy, and gensim scores the pairs seen ``min_count`` times."""
    flat = list(chain.from_iterable(docs))
    vocab = list(dict.fromkeys(flat))
    index = dict(zip(vocab, range(len(vocab))))
    n = len(vocab)
    ids = np.fromiter(map(index.__getitem__, flat), dtype=np.int64, count=len(flat))
    words = np.bincount(ids, minlength=n)
    inside = np.ones(max(len(flat) - 1, 0), dtype=bool)
    inside[np.cumsum([len(d) for d in docs[:-1]], dtype=np.int64) - 1] = False  # across two posts: not a pair
    codes, counts = np.unique((ids[:-1] * n + ids[1:])[inside], return_counts=True)
    left, right = np.divmod(codes, n)
    # gensim keeps unigrams and pairs in one vocabulary keyed by the joined string, so pairs spelt alike
    # (a_b + c, a + b_c) add up, and so does a pair spelt like a token joined by the layer below (a + b, a_b).
    # Only a pair with a joined token can be spelt like another pair: those are kept whatever their count.
    has_delimiter = np.fromiter((DELIMITER in w for w in vocab), dtype=bool, count=n)
    kept = (counts >= min_count) | has_delimiter[left] | has_delimiter[right]
    merged: dict[str, int] = {}
    for a, b, c in zip(left[kept].tolist(), right[kept].tolist(), counts[kept].tolist()):
        key = vocab[a] + DELIMITER + vocab[b]
        merged[key] = merged.get(key, 0) + c
    for token in compress(vocab, has_delimiter):
        count = int(words[index[token]])
        a, _, b = token.partition(DELIMITER)
        if DELIMITER not in b and a in index and b in index:  # the plain pair spelt like it, if not kept above
            i = int(np.searchsorted(codes, index[a] * n + index[b]))
            if i < len(codes) and codes[i] == index[a] * n + index[b] and not kept[i]:
                count += int(counts[i])
        merged[token] = merged.get(token, 0) + count
    scored = {key: c for key, c in merged.items() if c >= min_count}
    for key in list(scored):  # gensim scores a joined key by the counts of its first and last parts
        parts = key.split(DELIMITER)
        for part in (parts[0], parts[-1]):
            if part in index:
                scored[part] = int(words[index[part]])
    model = Phrases(min_count=min_count, threshold=threshold, scoring="npmi", delimiter=DELIMITER)
    model.vocab = scored
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
