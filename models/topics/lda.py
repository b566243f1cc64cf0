"""LDA with gensim on lemmas and phrases, K chosen over a grid by coherence.

The default path is deterministic: one-process ``LdaModel`` with a fixed seed, and document–topic inference
started from a generator reseeded with the same seed, so the same inputs and seed give the same model and the
same assignments, also after the model is reloaded. ``workers > 1`` uses ``LdaMulticore``, which is faster
but whose result depends on how work was scheduled (the fit is then stored as not deterministic).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from gensim.corpora import Dictionary
from gensim.models import LdaModel, LdaMulticore

from qatysu.models.topics.coherence import coherence, coherence_texts
from qatysu.models.topics.fit import MIN_WEIGHT, N_TERMS, OUTLIER, Coherence, TopicFit, topics_from_assignments
from qatysu.nlp.stopwords import stop_words

INFERENCE_CHUNK = 2000


def _quiet_blas() -> np.errstate:
    """OpenBLAS can leave the floating-point "invalid" flag set after a dot product of finite numbers, which
    numpy reports as "invalid value encountered in dot" (numpy/numpy#29194). The flag is ignored while gensim
    computes, and the document–topic weights are checked to be finite instead."""
    return np.errstate(invalid="ignore")


def usable(term: str, stops: frozenset[str]) -> bool:
    return len(term) > 1 and not term.isdigit() and term not in stops


def build_dictionary(docs: Sequence[list[str]], *, no_below: int, no_above: float, keep_n: int) -> Dictionary:
    """Vocabulary of the corpus without stop words of either language, rare terms and near-ubiquitous ones."""
    stops = stop_words()["ru"] | stop_words()["kk"]
    dictionary = Dictionary(docs)
    dictionary.filter_tokens(bad_ids=[i for t, i in dictionary.token2id.items() if not usable(t, stops)])
    dictionary.filter_extremes(no_below=no_below, no_above=no_above, keep_n=keep_n)
    dictionary.compactify()
    return dictionary


class LdaTopicModel:
    """A fitted LDA with its dictionary: assigns topics to token lists, saves and reloads."""

    def __init__(self, lda: LdaModel, dictionary: Dictionary, seed: int):
        self.lda, self.dictionary, self.seed = lda, dictionary, seed

    def gamma(self, bows: Sequence[list[tuple[int, int]]]) -> np.ndarray:
        """Each document's variational posterior over its topic proportions, Dirichlet(γ_d), reproducibly:
        inference starts from a generator seeded with ``seed``."""
        self.lda.random_state = np.random.RandomState(self.seed)
        out = np.zeros((len(bows), self.lda.num_topics))
        with _quiet_blas():
            for start in range(0, len(bows), INFERENCE_CHUNK):
                gamma, _ = self.lda.inference(bows[start:start + INFERENCE_CHUNK])
                out[start:start + len(gamma)] = gamma
        if not np.isfinite(out).all():
            raise FloatingPointError("LDA inference gave non-finite topic weights")
        return out

    def theta(self, bows: Sequence[list[tuple[int, int]]]) -> np.ndarray:
        """Document–topic proportions of bags of words: the posterior means."""
        gamma = self.gamma(bows)
        return gamma / gamma.sum(axis=1, keepdims=True)

    def posterior(self, docs: Sequence[list[str]]) -> np.ndarray:
        """Dirichlet parameters γ_d of token lists' topic proportions (what topic effects draw from)."""
        return self.gamma([self.dictionary.doc2bow(d) for d in docs])

    @staticmethod
    def main_topics(theta: np.ndarray, bows: Sequence[list[tuple[int, int]]]) -> np.ndarray:
        """Highest-weight topic per document; OUTLIER for a document with no word of the vocabulary."""
        main = theta.argmax(axis=1)
        main[np.array([not bow for bow in bows], dtype=bool)] = OUTLIER
        return main

    def assign(self, docs: Sequence[list[str]]) -> np.ndarray:
        """Main topic per token list."""
        bows = [self.dictionary.doc2bow(d) for d in docs]
        return self.main_topics(self.theta(bows), bows)

    def doc_topics(self, docs: Sequence[list[str]]) -> tuple[np.ndarray, np.ndarray, list[list[tuple[int, float]]]]:
        """(main topic, its weight, the (topic, θ) rows to store) of each token list: what the fit gives its
        own documents, for posts the fit did not see."""
        bows = [self.dictionary.doc2bow(d) for d in docs]
        theta = self.theta(bows)
        main = self.main_topics(theta, bows)
        return main, theta[np.arange(len(docs)), np.maximum(main, 0)], stored_weights(theta, main)

    assignment = "LDA inference: posterior mean θ of each post, reseeded per batch"

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.lda.save(str(directory / "lda"))
        self.dictionary.save(str(directory / "dictionary"))
        (directory / "model.json").write_text(json.dumps({"method": "lda", "seed": self.seed}))

    @classmethod
    def load(cls, directory: Path) -> LdaTopicModel:
        meta = json.loads((directory / "model.json").read_text())
        return cls(LdaModel.load(str(directory / "lda")), Dictionary.load(str(directory / "dictionary")), meta["seed"])


def stored_weights(theta: np.ndarray, main: np.ndarray) -> list[list[tuple[int, float]]]:
    """Per document, the topics stored in doc_topics: those of weight ≥ MIN_WEIGHT and the main one."""
    weights = []
    for row, m in zip(theta, main):
        if m == OUTLIER:
            weights.append([(OUTLIER, 1.0)])
        else:
            kept = sorted(set(np.flatnonzero(row >= MIN_WEIGHT).tolist()) | {int(m)})
            weights.append([(t, float(row[t])) for t in kept])
    return weights


def fit_lda(
    docs: Sequence[list[str]],
    *,
    k: int | None = None,
    k_grid: Sequence[int] = (),
    seed: int,
    passes: int = 5,
    iterations: int = 100,
    no_below: int = 3,
    no_above: float = 0.4,
    keep_n: int = 50_000,
    workers: int = 1,
    coherence_docs: int | None = None,
) -> TopicFit:
    """Fit LDA for each K of the grid (or the one ``k``), keep the K with the highest C_v (ties: NPMI)."""
    dictionary = build_dictionary(docs, no_below=no_below, no_above=no_above, keep_n=keep_n)
    if len(dictionary) < 2:
        raise ValueError(f"too few terms to model ({len(dictionary)} after filtering {len(docs)} posts): "
                         "process more posts or lower the frequency filters")
    bows = [dictionary.doc2bow(d) for d in docs]
    texts = [[t for t in d if t in dictionary.token2id] for d in coherence_texts(docs, coherence_docs, seed)]
    grid = [k] if k else sorted(set(k_grid))
    if not grid:
        raise ValueError("give the number of topics k or a grid of them to choose from")
    fits = []
    for n in grid:
        common = dict(corpus=bows, id2word=dictionary, num_topics=n, passes=passes, iterations=iterations,
                      random_state=seed, chunksize=2000, eval_every=None)
        with _quiet_blas():
            lda = LdaMulticore(workers=workers, **common) if workers > 1 else LdaModel(**common)
        top = [[t for t, _ in lda.show_topic(i, topn=10)] for i in range(n)]
        cv, npmi = coherence(top, texts, dictionary)
        fits.append((n, lda, cv, npmi))
    best = max(fits, key=lambda f: (-1 if f[2] is None else f[2], -1 if f[3] is None else f[3]))
    n, lda = best[0], best[1]
    model = LdaTopicModel(lda, dictionary, seed)
    theta = model.theta(bows)
    main = model.main_topics(theta, bows)
    weights = stored_weights(theta, main)
    strength = theta[np.arange(len(docs)), np.maximum(main, 0)]
    terms = {i: lda.show_topic(i, topn=N_TERMS) for i in range(n)}
    return TopicFit(
        method="lda", k=n,
        topics=topics_from_assignments(main, strength, terms),
        main_topic=main, weights=weights,
        coherence=[Coherence(g, cv, npmi, g == n) for g, _, cv, npmi in fits],
        n_terms=len(dictionary),
        params={"k": k, "k_grid": grid, "seed": seed, "passes": passes, "iterations": iterations,
                "no_below": no_below, "no_above": no_above, "keep_n": keep_n, "workers": workers,
                "alpha": "symmetric", "min_weight_stored": MIN_WEIGHT, "coherence_docs": len(texts)},
        deterministic=workers == 1,
        model=model,
    )
