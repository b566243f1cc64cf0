"""Topic models over lemmas and phrases: gensim LDA and offline BERTopic, with one result shape for both."""

from __future__ import annotations

import json
from pathlib import Path

from qatysu.models.topics.bertopic_fit import BertopicTopicModel, fit_bertopic
from qatysu.models.topics.fit import OUTLIER, Coherence, Topic, TopicFit
from qatysu.models.topics.lda import LdaTopicModel, fit_lda

METHODS = ("lda", "bertopic")


def load_model(directory: Path) -> LdaTopicModel | BertopicTopicModel:
    """Reload a saved model (its ``assign(docs)`` gives the main topic of token lists)."""
    method = json.loads((Path(directory) / "model.json").read_text())["method"]
    return (LdaTopicModel if method == "lda" else BertopicTopicModel).load(Path(directory))


__all__ = ["METHODS", "OUTLIER", "BertopicTopicModel", "Coherence", "LdaTopicModel", "Topic", "TopicFit",
           "fit_bertopic", "fit_lda", "load_model"]
