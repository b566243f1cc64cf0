"""Topic coherence (C_v and NPMI) of top-term lists, measured on the documents the model was fitted on."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from gensim.corpora import Dictionary
from gensim.models.coherencemodel import CoherenceModel

TOP_N = 10


def coherence(
    topic_terms: list[list[str]], texts: list[list[str]], dictionary: Dictionary
) -> tuple[float | None, float | None]:
    """(C_v, NPMI) averaged over topics; terms missing from the dictionary are dropped, one process (deterministic).

    None where fewer than two known terms per topic leave nothing to measure."""
    known = [[t for t in terms[:TOP_N] if t in dictionary.token2id] for terms in topic_terms]
    known = [terms for terms in known if len(terms) >= 2]
    if not known:
        return None, None
    scores = []
    for measure in ("c_v", "c_npmi"):
        model = CoherenceModel(topics=known, texts=texts, dictionary=dictionary, coherence=measure,
                               topn=TOP_N, processes=1)
        scores.append(float(model.get_coherence()))
    return scores[0], scores[1]


def coherence_texts(docs: Sequence[list[str]], limit: int | None, seed: int) -> list[list[str]]:
    """The documents coherence is measured on: all of them, or a seeded random ``limit`` of them in corpus order
    (C_v's co-occurrence counts are means over documents, so a sample of tens of thousands estimates them well
    at a fraction of the cost)."""
    if limit is None or len(docs) <= limit:
        return list(docs)
    chosen = np.sort(np.random.default_rng(seed).choice(len(docs), size=limit, replace=False))
    return [docs[i] for i in chosen]
