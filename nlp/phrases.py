"""Collocations per language (избирательный_участок, центральный_избирательный_комиссия), learnt from the
corpus with gensim's ``Phrases`` in two layers (bigrams, then trigrams over the bigrams), saved and reused.

The models are gensim ``FrozenPhrases`` with NPMI scoring, saved in gensim's own format. Counting and
joining, the steps that touch every token, work here on the whole corpus at once as integer codes with
numpy, with the same results as gensim's loops (tests compare them on real posts and on random corpora):
gensim then scores only the pairs that could pass, seen ``min_count`` times with an NPMI estimated
above the threshold (less a margin for rounding), and its own score decides. Documents come and go as
Arrow lists, as the warehouse hands them over, so no Python list is built per document.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from gensim.models.phrases import FrozenPhrases, Phrases

DELIMITER = "_"

Documents = pa.Array | pa.ChunkedArray | Sequence[Sequence[str]]  # lemma lists, one per document
Pairs = frozenset[tuple[str, str]]


def _as_pairs(phrasegrams: dict[str, float]) -> Pairs:
    """Every (left, right) token pair whose joining spells a phrase of the model («a_b_c»: a + b_c, a_b + c)."""
    pairs = set()
    for phrase in phrasegrams:
        parts = phrase.split(DELIMITER)
        for i in range(1, len(parts)):
            pairs.add((DELIMITER.join(parts[:i]), DELIMITER.join(parts[i:])))
    return frozenset(pairs)


def _list_array(documents: Documents) -> pa.ListArray:
    if isinstance(documents, pa.ChunkedArray):
        return documents.combine_chunks()
    return documents if isinstance(documents, pa.Array) else pa.array(documents, type=pa.list_(pa.string()))


def _bounds(documents: pa.ListArray) -> np.ndarray:
    """Where each document's tokens start among all documents' tokens, and where the last one's end (a null
    list is an empty document)."""
    lengths = pc.fill_null(pc.list_value_length(documents), 0).to_numpy(zero_copy_only=False)
    bounds = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=bounds[1:])
    return bounds


class _Coded:
    """Documents as one array of token codes into a vocabulary, with the offsets where each document starts."""

    def __init__(self, ids: np.ndarray, bounds: np.ndarray, vocab: list[str]):
        self.ids = ids  # int64 codes of all documents' tokens, one document after another
        self.bounds = bounds  # document i is ids[bounds[i]:bounds[i + 1]]
        self.vocab = vocab

    @classmethod
    def of(cls, documents: Documents) -> _Coded:
        documents = _list_array(documents)
        codes = pc.dictionary_encode(documents.flatten())
        return cls(codes.indices.to_numpy(zero_copy_only=False).astype(np.int64), _bounds(documents),
                   codes.dictionary.to_pylist())

    @cached_property
    def index(self) -> dict[str, int]:
        return dict(zip(self.vocab, range(len(self.vocab))))

    @cached_property
    def strings(self) -> pa.StringArray:
        return pa.array(self.vocab, type=pa.string())

    @cached_property
    def pairs(self) -> np.ndarray:
        """Code of each adjacent token pair (left * vocabulary size + right); -1 across two documents."""
        pairs = self.ids[:-1] * len(self.vocab) + self.ids[1:]
        starts = self.bounds[1:-1]
        pairs[starts[(starts > 0) & (starts < len(self.ids))] - 1] = -1
        return pairs

    def joined(self, phrases: Pairs) -> _Coded:
        """The documents with every pair that is a phrase joined, left to right, as gensim's ``analyze_sentence``
        joins (without connector words): of a run of overlapping phrase pairs the 1st, 3rd, … are joined."""
        n, index = len(self.vocab), self.index
        phrase_pairs = sorted((index[a], index[b]) for a, b in phrases if a in index and b in index)
        if not phrase_pairs:
            return self
        codes = np.array([a * n + b for a, b in phrase_pairs], dtype=np.int64)
        lefts, rights = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
        lefts[[a for a, _ in phrase_pairs]] = rights[[b for _, b in phrase_pairs]] = True
        # only pairs of a phrase's left and right tokens are looked up among the phrases' codes
        candidates = np.flatnonzero(lefts[self.ids[:-1]] & rights[self.ids[1:]] & (self.pairs >= 0))
        which = np.searchsorted(codes, self.pairs[candidates])  # the phrase each candidate pair is, if it is one
        found = codes.take(which, mode="clip") == self.pairs[candidates]
        hit = np.zeros(len(self.pairs), dtype=bool)
        hit[candidates[found]] = True
        phrase_at = np.zeros(len(self.pairs), dtype=np.int64)
        phrase_at[candidates[found]] = which[found]
        position = np.arange(len(hit))
        run_start = np.maximum.accumulate(np.where(hit & ~np.r_[False, hit[:-1]], position, 0))
        join = hit & ((position - run_start) & 1 == 0)
        index = dict(index)  # codes of the joined tokens follow; one spelt like a known token is that token
        joined_ids = np.array([index.setdefault(self.vocab[a] + DELIMITER + self.vocab[b], len(index))
                               for a, b in phrase_pairs], dtype=np.int64)
        ids = self.ids.copy()
        at = np.flatnonzero(join)
        ids[at] = joined_ids[phrase_at[at]]
        right_halves = at + 1
        dropped = np.searchsorted(right_halves, self.bounds)  # right halves before each document's start
        return _Coded(np.delete(ids, right_halves), self.bounds - dropped, list(index))

    def lists(self) -> pa.ListArray:
        """The documents as Arrow lists of tokens."""
        tokens = self.strings.take(pa.array(self.ids))
        return pa.ListArray.from_arrays(pa.array(self.bounds, type=pa.int64()).cast(pa.int32()), tokens)


def phrases_of(documents: Documents) -> pa.ListArray:
    """The joined phrases (tokens with the delimiter) of each document, in order."""
    documents = _list_array(documents)
    tokens = documents.flatten()
    is_phrase = pc.match_substring(tokens, DELIMITER).to_numpy(zero_copy_only=False)
    before = np.zeros(len(tokens) + 1, dtype=np.int32)  # before[k]: phrases among the first k tokens
    np.cumsum(is_phrase, out=before[1:])
    return pa.ListArray.from_arrays(pa.array(before[_bounds(documents)]), tokens.filter(pa.array(is_phrase)))


def _frozen(corpus: _Coded, min_count: int, threshold: float) -> FrozenPhrases:
    """The same model as ``Phrases(docs, min_count, threshold, scoring="npmi").freeze()``: tokens and adjacent
    pairs are counted as codes with numpy, and gensim scores only the pairs that could pass (NPMI estimated
    with numpy, with a margin for rounding; gensim's own score decides)."""
    index, n = corpus.index, len(corpus.vocab)
    words = np.bincount(corpus.ids, minlength=n)
    codes, counts = np.unique(corpus.pairs[corpus.pairs >= 0], return_counts=True)
    left, right = np.divmod(codes, n)
    # gensim keeps unigrams and pairs in one vocabulary keyed by the joined string, so pairs spelt alike
    # (a_b + c, a + b_c) add up, and so does a pair spelt like a token joined by the layer below (a + b, a_b).
    # Only a pair with a joined token can be spelt like another pair: those are kept whatever their count.
    has_delimiter = pc.match_substring(corpus.strings, DELIMITER).to_numpy(zero_copy_only=False)
    kept = (counts >= min_count) | has_delimiter[left] | has_delimiter[right]
    tokens = np.flatnonzero(has_delimiter)  # joined tokens: keys of their own
    token_counts = words[tokens].copy()
    # gensim scores a key by the counts of its first and last parts (a and c for a_b_c), where those are tokens
    first, last = words.copy(), words.copy()
    for j, (k, token) in enumerate(zip(tokens.tolist(), corpus.strings.take(pa.array(tokens)).to_pylist())):
        parts = token.split(DELIMITER)
        first[k], last[k] = (int(words[index[p]]) if p in index else 0 for p in (parts[0], parts[-1]))
        if len(parts) == 2 and parts[0] in index and parts[1] in index:  # the plain pair spelt like it
            code = index[parts[0]] * n + index[parts[1]]
            i = np.searchsorted(codes, code)
            if i < len(codes) and codes[i] == code and not kept[i]:
                token_counts[j] += counts[i]
    keys = pa.concat_arrays([
        pc.binary_join_element_wise(corpus.strings.take(pa.array(left[kept])),
                                    corpus.strings.take(pa.array(right[kept])), DELIMITER),
        corpus.strings.take(pa.array(tokens)),
    ])
    spelt = pc.dictionary_encode(keys)
    key_of = spelt.indices.to_numpy(zero_copy_only=False)
    merged = np.bincount(key_of, weights=np.concatenate([counts[kept], token_counts])).astype(np.int64)
    head, tail = np.zeros(len(merged), dtype=np.int64), np.zeros(len(merged), dtype=np.int64)
    head[key_of] = np.concatenate([first[left[kept]], first[tokens]])  # every row of a key has the same parts
    tail[key_of] = np.concatenate([last[right[kept]], last[tokens]])
    total = float(len(corpus.ids))
    with np.errstate(divide="ignore", invalid="ignore"):
        pab = merged / total
        npmi = np.log(pab / ((head / total) * (tail / total))) / -np.log(pab)
    passing = np.flatnonzero((merged >= min_count) & (head > 0) & (tail > 0) & ~(npmi <= threshold - 1e-6))
    scored = dict(zip(spelt.dictionary.take(pa.array(passing)).to_pylist(), merged[passing].tolist()))
    for key in list(scored):
        parts = key.split(DELIMITER)
        for part in (parts[0], parts[-1]):
            scored[part] = int(words[index[part]])
    model = Phrases(min_count=min_count, threshold=threshold, scoring="npmi", delimiter=DELIMITER)
    model.vocab = scored
    model.corpus_word_count = len(corpus.ids)
    return model.freeze()


class PhraseModel:
    def __init__(self, bigrams: FrozenPhrases, trigrams: FrozenPhrases):
        self.bigrams = bigrams
        self.trigrams = trigrams
        self._layers = (_as_pairs(bigrams.phrasegrams), _as_pairs(trigrams.phrasegrams))

    @classmethod
    def train_and_join(
        cls, documents: Documents, *, min_count: int = 5, threshold: float = 0.5
    ) -> tuple[PhraseModel, pa.ListArray]:
        """The model trained on lemma lists, and the documents with their phrases joined (as :meth:`join`
        gives them) at the cost of training alone: the trigram layer is trained on the documents joined by
        the bigram layer. NPMI scoring (threshold in -1..1), so the threshold means the same on any corpus size."""
        corpus = _Coded.of(documents)
        bigrams = _frozen(corpus, min_count, threshold)
        corpus = corpus.joined(_as_pairs(bigrams.phrasegrams))
        model = cls(bigrams, _frozen(corpus, min_count, threshold))
        return model, corpus.joined(model._layers[1]).lists()

    def join(self, documents: Documents) -> pa.ListArray:
        """Each lemma list with its collocations joined."""
        corpus = _Coded.of(documents)
        for layer in self._layers:
            corpus = corpus.joined(layer)
        return corpus.lists()

    def save(self, path: Path) -> None:
        """Save both layers beside ``path``, each under a temporary name renamed when written, so a process
        killed while saving leaves whole files."""
        path.parent.mkdir(parents=True, exist_ok=True)
        for layer, file in zip((self.bigrams, self.trigrams), self.files(path)):
            partial = file.with_name(file.name + ".partial")
            layer.save(str(partial))
            os.replace(partial, file)

    @staticmethod
    def path_in(data_dir: Path, lang: str) -> Path:
        """Where the phrase model of ``lang`` is kept in a warehouse's data folder."""
        return data_dir / "phrases" / lang

    @staticmethod
    def files(path: Path) -> tuple[Path, Path]:
        """The files of a model saved at ``path``: its bigram and trigram layers."""
        return path.with_suffix(".bigrams"), path.with_suffix(".trigrams")

    @classmethod
    def exists(cls, path: Path) -> bool:
        return all(f.is_file() for f in cls.files(path))

    @classmethod
    def remove(cls, path: Path) -> None:
        for f in cls.files(path):
            f.unlink(missing_ok=True)

    @classmethod
    def load(cls, path: Path) -> PhraseModel:
        return cls(FrozenPhrases.load(str(path.with_suffix(".bigrams"))),
                   FrozenPhrases.load(str(path.with_suffix(".trigrams"))))
