"""BERTopic offline: document embeddings from a scikit-learn pipeline over lemmas (BERTopic's documented
``SklearnEmbedder`` path: TF-IDF → TruncatedSVD → unit length), seeded UMAP and HDBSCAN, c-TF-IDF topic terms
on lemmas, and outlier reduction. No sentence-transformer and no download on this path; a user with a local
sentence-transformers model can pass its directory as ``embedding_model_path``.

UMAP compiles its numba functions on first use in a process (~8 s): fit once per process, never in a loop.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from qatysu.models.topics.coherence import coherence, coherence_texts
from qatysu.models.topics.fit import N_TERMS, OUTLIER, Coherence, TopicFit, topics_from_assignments
from qatysu.nlp.stopwords import stop_words

TOKENS = r"\S+"  # documents are lemmas joined by spaces; phrases keep their underscores


class _KnownNotes(logging.Filter):
    """Drops two BERTopic warnings about steps this module takes on purpose: saving with pickle (the model
    registry records every library version, and a model is reloaded only with them) and topics assigned
    after outlier reduction (the documented ``reduce_outliers`` → ``update_topics`` path, with no topic
    reduction after it). BERTopic resets its logger's level on every model, so a filter, not a level."""

    NOTES = ("When you use `pickle` to save/load a BERTopic model", "Using a custom list of topic assignments")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(note in message for note in self.NOTES)


logging.getLogger("BERTopic").addFilter(_KnownNotes())


def _joined(docs: Sequence[list[str]]) -> list[str]:
    return [" ".join(d) for d in docs]


def embedder(n_components: int, seed: int, min_df: int):
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import Normalizer

    tfidf = TfidfVectorizer(token_pattern=TOKENS, lowercase=False, min_df=min_df, max_df=0.5, sublinear_tf=True,
                            dtype=np.float32)
    return make_pipeline(tfidf, TruncatedSVD(n_components=n_components, random_state=seed), Normalizer(copy=False))


OUTLIER_THRESHOLD = 0.3  # cosine similarity an outlier needs to its nearest topic to be moved there


class BertopicTopicModel:
    def __init__(self, model):
        self.model = model

    assignment = ("nearest topic embedding (cosine of the saved embedder's embedding, at least "
                  f"{OUTLIER_THRESHOLD}, else outlier: the fit's outlier reduction applied to every post)")

    def doc_topics(self, docs: Sequence[list[str]]) -> tuple[np.ndarray, np.ndarray, list[list[tuple[int, float]]]]:
        """(main topic, its similarity, the (topic, 1.0) rows to store) of each token list, for posts the fit did
        not see: each goes to the topic whose embedding is nearest its own, as the fit moves its outliers
        (BERTopic's ``reduce_outliers(strategy="embeddings")``), or stays an outlier when the nearest is not
        similar enough. BERTopic's ``transform`` would run UMAP's nearest-neighbour search for every post, which
        at a million posts costs far more than the fit (and still leaves its outliers to this step)."""
        from sklearn.metrics.pairwise import cosine_similarity

        main, strength = np.full(len(docs), OUTLIER), np.zeros(len(docs))
        present = [i for i, d in enumerate(docs) if d]
        ids = np.array(sorted(self.model.topic_representations_))  # the rows of topic_embeddings_
        if present and (ids != OUTLIER).any():
            embeddings = self.model.embedding_model.embed(_joined([docs[i] for i in present]))
            similarity = cosine_similarity(embeddings, np.asarray(self.model.topic_embeddings_)[ids != OUTLIER])
            best = similarity.argmax(axis=1)
            score = similarity[np.arange(len(present)), best]
            main[present] = np.where(score >= OUTLIER_THRESHOLD, ids[ids != OUTLIER][best], OUTLIER)
            strength[present] = score
        return main, strength, [[(int(m), 1.0)] for m in main]

    def assign(self, docs: Sequence[list[str]]) -> np.ndarray:
        """Main topic per document (OUTLIER for documents no cluster takes or with no word)."""
        main = np.full(len(docs), OUTLIER)
        present = [i for i, d in enumerate(docs) if d]
        if present:
            topics, _ = self.model.transform(_joined([docs[i] for i in present]))
            main[present] = topics
        return main

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        # pickle keeps the fitted scikit-learn embedder, so the reloaded model embeds new posts the same way
        self.model.save(str(directory / "bertopic.pickle"), serialization="pickle")
        (directory / "model.json").write_text(json.dumps({"method": "bertopic"}))

    @classmethod
    def load(cls, directory: Path) -> BertopicTopicModel:
        from bertopic import BERTopic

        return cls(BERTopic.load(str(directory / "bertopic.pickle")))


def fit_bertopic(
    docs: Sequence[list[str]],
    *,
    k: int | None = None,
    seed: int,
    n_components: int = 100,
    min_df: int = 2,
    n_neighbors: int = 15,
    umap_components: int = 5,
    min_cluster_size: int | None = None,
    reduce_outliers: bool = True,
    seed_topics: list[list[str]] | None = None,
    embedding_model_path: str | None = None,
    coherence_docs: int | None = None,
) -> TopicFit:
    """Fit BERTopic on token lists; ``k`` reduces the topics found to at most k; ``seed_topics`` guides them."""
    from bertopic import BERTopic
    from bertopic.vectorizers import ClassTfidfTransformer
    from gensim.corpora import Dictionary
    from hdbscan import HDBSCAN
    from sklearn.feature_extraction.text import CountVectorizer
    from umap import UMAP

    present = [i for i, d in enumerate(docs) if d]
    texts = _joined([docs[i] for i in present])
    if len(texts) < 50:
        raise ValueError(f"too few posts with words to model ({len(texts)}); BERTopic needs at least 50")
    vocabulary = len({t for i in present for t in docs[i]})
    components = max(2, min(n_components, vocabulary - 1, len(texts) - 1))
    cluster_size = min_cluster_size or max(10, round(len(texts) * 0.002))
    if embedding_model_path:
        from sentence_transformers import SentenceTransformer  # optional: a local model, never a download

        embedding = SentenceTransformer(embedding_model_path, local_files_only=True)
        embeddings = embedding.encode(texts, show_progress_bar=False)
    else:
        pipe = embedder(components, seed, min_df)
        embeddings = pipe.fit_transform(texts)
        embedding = pipe  # BERTopic wraps a scikit-learn pipeline in its SklearnEmbedder
    stops = sorted(stop_words()["ru"] | stop_words()["kk"])
    model = BERTopic(
        embedding_model=embedding,
        umap_model=UMAP(n_neighbors=n_neighbors, n_components=umap_components, min_dist=0.0, metric="cosine",
                        random_state=seed, low_memory=True),
        hdbscan_model=HDBSCAN(min_cluster_size=cluster_size, min_samples=max(5, cluster_size // 5),
                              metric="euclidean", cluster_selection_method="eom", prediction_data=True),
        vectorizer_model=CountVectorizer(token_pattern=TOKENS, lowercase=False, stop_words=stops, min_df=min_df),
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
        top_n_words=N_TERMS,
        nr_topics=k,
        seed_topic_list=seed_topics,
        calculate_probabilities=False,
    )
    topics, probs = model.fit_transform(texts, embeddings=embeddings)
    topics = np.asarray(topics)
    outliers_before = int((topics == OUTLIER).sum())
    if reduce_outliers and outliers_before and (topics != OUTLIER).any():
        topics = np.asarray(model.reduce_outliers(texts, topics, strategy="embeddings", embeddings=embeddings,
                                                  threshold=OUTLIER_THRESHOLD))
        model.update_topics(texts, topics=topics.tolist(), vectorizer_model=model.vectorizer_model,
                            ctfidf_model=model.ctfidf_model, top_n_words=N_TERMS)
    main = np.full(len(docs), OUTLIER)
    main[present] = topics
    strength = np.zeros(len(docs))
    strength[present] = np.asarray(probs, dtype=float) if probs is not None else 1.0
    terms = {t: [(w, float(s)) for w, s in model.get_topic(t) if w] for t in set(topics.tolist()) if t != OUTLIER}
    found = [t for t in terms if t != OUTLIER]
    texts_measured = coherence_texts(docs, coherence_docs, seed)
    cv, npmi = coherence([[w for w, _ in terms[t]] for t in found], texts_measured, Dictionary(texts_measured))
    return TopicFit(
        method="bertopic", k=len(found),
        topics=topics_from_assignments(main, strength, terms),
        main_topic=main, weights=[[(int(m), 1.0)] for m in main],
        coherence=[Coherence(len(found), cv, npmi, True)],
        n_terms=len(model.vectorizer_model.vocabulary_),
        params={"k": k, "seed": seed, "embedding": embedding_model_path or
                f"TF-IDF(min_df={min_df}, max_df=0.5, sublinear) → TruncatedSVD({components}) → L2",
                "umap": {"n_neighbors": n_neighbors, "n_components": umap_components, "min_dist": 0.0,
                         "metric": "cosine"},
                "hdbscan": {"min_cluster_size": cluster_size, "min_samples": max(5, cluster_size // 5)},
                "reduce_outliers": reduce_outliers, "outliers_before_reduction": outliers_before,
                "outliers_after_reduction": int((topics == OUTLIER).sum()),
                "seed_topics": seed_topics, "coherence_docs": len(texts_measured)},
        deterministic=True,
        model=BertopicTopicModel(model),
    )
