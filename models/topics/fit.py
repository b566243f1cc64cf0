"""What every topic-model fit hands back, whatever the method: topics, document weights, coherence per K.

Models see documents as token lists (lemmas with phrases joined) and their position in the corpus; they know
nothing of post ids or the warehouse, which stores a :class:`TopicFit` through ``warehouse.topic_store``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

OUTLIER = -1  # BERTopic's outlier topic; also where posts with no modelled word go, for either method
MIN_WEIGHT = 0.05  # LDA document–topic weights below this are not stored
N_EXAMPLES = 3
N_TERMS = 15


@dataclass(frozen=True)
class Topic:
    topic_id: int
    terms: list[str]
    weights: list[float]
    size: int
    examples: list[int]  # document indices, most representative first

    @property
    def label(self) -> str:
        if self.topic_id == OUTLIER:
            return "(outliers: posts no topic took, or with no modelled word)"
        return " · ".join(self.terms[:4])


@dataclass(frozen=True)
class Coherence:
    k: int
    cv: float | None
    npmi: float | None
    chosen: bool


@dataclass
class TopicFit:
    method: str
    k: int
    topics: list[Topic]
    main_topic: np.ndarray  # per document, its main topic (OUTLIER where none)
    weights: list[list[tuple[int, float]]]  # per document, (topic, weight) rows to store
    coherence: list[Coherence]
    n_terms: int
    params: dict[str, Any]
    deterministic: bool
    model: Any = field(repr=False)

    @property
    def chosen(self) -> Coherence | None:
        return next((c for c in self.coherence if c.chosen), None)

    def save(self, directory: Path) -> None:
        self.model.save(directory)


def topics_from_assignments(
    main: np.ndarray, strength: np.ndarray, terms: dict[int, list[tuple[str, float]]]
) -> list[Topic]:
    """Topics with their sizes and most representative documents (highest strength among their own)."""
    topics = []
    for topic_id in sorted(set(terms) | set(np.unique(main).tolist())):
        members = np.flatnonzero(main == topic_id)
        best = members[np.argsort(-strength[members], kind="stable")[:N_EXAMPLES]]
        pairs = terms.get(topic_id, [])
        topics.append(Topic(topic_id, [t for t, _ in pairs], [float(w) for _, w in pairs], len(members),
                            best.tolist()))
    return topics
