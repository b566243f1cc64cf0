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

from itertools import chain, compress
from pathlib import Path

import numpy as np
from gensim.models.phrases import FrozenPhrases, Phrases

DELIMITER = "_"


Pairs = frozenset[tuple[str, str]]


def _as_pairs(phrasegrams: dict[str, float]) -> Pairs:
    """Every (left, right) token pair whose joining spells a phrase of the model («a_b_c»: a + b_c, a_b + c),
    so a post is checked pair by pair without building a string per pair."""
    pairs = set()
    for phrase in phrasegrams:
        parts = phrase.split(DELIMITER)
        for i in range(1, len(parts)):
            pairs.add((DELIMITER.join(parts[:i]), DELIMITER.join(parts[i:])))
    return frozenset(pairs)


def _join(doc: list[str], pairs: Pairs) -> list[str]:
    """``doc`` with every pair that is a phrase joined, left to right (gensim's ``analyze_sentence``
    without connector words); ``doc`` itself when nothing is joined."""
    if pairs.isdisjoint(zip(doc, doc[1:])):
        return doc
    out, free = [], 0  # free: the first token not yet in the output
    for i in [i for i, pair in enumerate(zip(doc, doc[1:])) if pair in pairs]:
        if i >= free:  # not the right half of the pair joined just before
            out.extend(doc[free:i])
            out.append(doc[i] + DELIMITER + doc[i + 1])
            free = i + 2
    out.extend(doc[free:])
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
            code = index[a] * n + index[b]
            i = int(np.searchsorted(codes, code))
            if i < len(codes) and codes[i] == code and not kept[i]:
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
        self._layers = (_as_pairs(bigrams.phrasegrams), _as_pairs(trigrams.phrasegrams))

    @classmethod
    def train_and_join(
        cls, documents: list[list[str]], *, min_count: int = 5, threshold: float = 0.5
    ) -> tuple[PhraseModel, list[list[str]]]:
        """The model trained on lemma lists, and each document with its phrases joined (as :meth:`apply` gives
        it) at the cost of training alone: the trigram layer is trained on the documents joined by the bigram
        layer. NPMI scoring (threshold in -1..1), so the threshold means the same on any corpus size."""
        bigrams = _frozen([d for d in documents if d], min_count, threshold)
        first = _as_pairs(bigrams.phrasegrams)
        joined = [_join(d, first) for d in documents]
        model = cls(bigrams, _frozen([d for d in joined if d], min_count, threshold))
        return model, [_join(d, model._layers[1]) for d in joined]

    def apply(self, lemmas: list[str]) -> list[str]:
        """The lemma list with collocations joined."""
        return _join(_join(lemmas, self._layers[0]), self._layers[1])

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
