"""Topic coherence (C_v and NPMI) of top-term lists, measured on the documents the model was fitted on."""

from __future__ import annotations

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
