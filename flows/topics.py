"""The topic step: read the processed corpus, fit a topic model, save it beside the warehouse and register it.

A model folder appears under its name only after its row in ``topic_models`` has committed, and what a killed fit
left behind is finished or removed by the next step (:func:`clean_model_dirs`)."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import uuid
import multiprocessing
from collections import Counter, deque
from concurrent.futures import Future, ProcessPoolExecutor
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from qatysu.flows.config import TopicsConfig
from qatysu.flows.provenance import recorded_run, software_versions
from qatysu.models.lexicon import Lexicon
from qatysu.models.topics import LdaTopicModel, Topic, fit_bertopic, fit_lda
from qatysu.nlp.phrases import PhraseModel
from qatysu.warehouse import Warehouse
from qatysu.warehouse.runs import Owner
from qatysu.warehouse.topic_store import (
    CorpusFilter,
    list_topic_models,
    store_topic_fit,
    topic_corpus,
    write_topic_corpus,
)

LIBRARIES = {"lda": ("gensim",), "bertopic": ("bertopic", "umap-learn", "hdbscan", "scikit-learn")}
PARTIAL = ".partial-"  # prefix of a model folder being written: .partial-<pid>-<model id>


@dataclass(frozen=True)
class TopicsSummary:
    model_id: str
    method: str
    k: int
    n_docs: int
    n_fit: int
    coherence_cv: float | None
    path: Path


class NothingToModel(ValueError):
    """The filter selects no processed post (or too few to model)."""


def _phrase_models(wh: Warehouse) -> dict[str, PhraseModel]:
    models = {}
    for lang in ("ru", "kk"):
        path = PhraseModel.path_in(wh.data_dir, lang)
        if PhraseModel.exists(path):
            models[lang] = PhraseModel.load(path)
    return models


Row = tuple[str, str, list[str]]  # post_uid, language, content lemmas
ASSIGN_BATCH = 20_000  # posts assigned topics at a time by a fitted model


def _documents(rows: Sequence[Row], phrases: dict[str, PhraseModel], lang: str) -> tuple[list[str], list[list[str]]]:
    """Post ids and their lemma lists with the collocations of the post's language joined (phrase models)."""
    uids, docs = [uid for uid, _, _ in rows], [list(lemmas) for _, _, lemmas in rows]
    joined_by: dict[PhraseModel, list[int]] = {}  # the posts each model joins, all at once
    for i, (_, post_lang, _) in enumerate(rows):
        model = phrases.get(post_lang if post_lang in phrases else lang)
        if model is not None:
            joined_by.setdefault(model, []).append(i)
    for model, members in joined_by.items():
        for i, doc in zip(members, model.join([docs[i] for i in members]).to_pylist()):
            docs[i] = doc
    return uids, docs


def load_documents(wh: Warehouse, corpus: CorpusFilter) -> tuple[list[str], list[list[str]]]:
    """Post ids and their lemma lists with the collocations of the post's language joined (phrase models)."""
    with wh.reader(live=True) as con:
        rows = list(topic_corpus(con, corpus))
    return _documents(rows, _phrase_models(wh), corpus.lang)


def _corpus_batches(path: Path, keep: np.ndarray) -> Iterator[list[Row]]:
    """The rows of a corpus file whose position ``keep`` marks, batch by batch."""
    position = 0
    for part in pq.ParquetFile(path).iter_batches(batch_size=ASSIGN_BATCH):
        wanted = np.flatnonzero(keep[position:position + part.num_rows])
        position += part.num_rows
        if len(wanted):
            part = part.take(pa.array(wanted))
            yield list(zip(*(part.column(i).to_pylist() for i in range(3))))


def _doc_topic_rows(uids: Sequence[str], weights: Sequence[list[tuple[int, float]]], main: np.ndarray) -> pa.Table:
    rows = [(uid, topic, weight, topic == m) for uid, pairs, m in zip(uids, weights, main) for topic, weight in pairs]
    return pa.table({"post_uid": pa.array([r[0] for r in rows], pa.string()),
                     "topic_id": pa.array([r[1] for r in rows], pa.int32()),
                     "weight": pa.array([r[2] for r in rows], pa.float64()),
                     "is_main": pa.array([bool(r[3]) for r in rows], pa.bool_())})


_ASSIGNING: tuple | None = None  # (model, phrase models, language) in the processes that assign topics


def _assign_batch(rows: list[Row]) -> tuple[list[str], np.ndarray, list[list[tuple[int, float]]]]:
    assert _ASSIGNING is not None
    model, phrases, lang = _ASSIGNING
    uids, docs = _documents(rows, phrases, lang)
    main, _, weights = model.doc_topics(docs)
    return uids, main, weights


def _assigned(model, batches: Iterator[list[Row]], phrases: dict[str, PhraseModel], lang: str
              ) -> Iterator[tuple[list[str], np.ndarray, list[list[tuple[int, float]]]]]:
    """Topics of the posts outside the fit sample, batch by batch in corpus order: in one forked process per
    core for LDA (gensim infers one post at a time in Python, the step's longest part at a million posts; each
    batch's inference is reseeded, so the result does not depend on which process ran it), here for BERTopic
    (one matrix product per batch)."""
    global _ASSIGNING
    _ASSIGNING = (model, phrases, lang)
    workers = os.cpu_count() or 1
    try:
        forking = "fork" in multiprocessing.get_all_start_methods()
        if not isinstance(model, LdaTopicModel) or workers == 1 or not forking:
            yield from map(_assign_batch, batches)
            return
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            pending: deque[Future] = deque()
            for rows in batches:
                pending.append(pool.submit(_assign_batch, rows))
                if len(pending) > 2 * workers:  # a bounded number of batches in flight
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
    finally:
        _ASSIGNING = None


def fit_topics(
    wh: Warehouse,
    params: TopicsConfig,
    *,
    method: str,
    corpus: CorpusFilter,
    seed_topics: list[list[str]] | None = None,
) -> TopicsSummary:
    """Fit one model (``method`` on the posts ``corpus`` selects), save it and register it.

    The model is fitted on at most ``params.fit_sample`` posts (a seeded random sample); the others get their
    topics from the fitted model in batches of ``ASSIGN_BATCH``. The corpus is copied once into a Parquet file
    beside the warehouse, so memory holds the sample and one batch, and the warehouse is not held meanwhile."""
    work = wh.data_dir / "tmp"
    work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work, prefix="topics-") as tmp:
        corpus_file = Path(tmp) / "corpus.parquet"
        with wh.reader(live=True) as con:
            n = write_topic_corpus(con, corpus, corpus_file)
        in_sample = np.zeros(n, dtype=bool)
        in_sample[np.random.default_rng(params.seed).choice(n, size=min(n, params.fit_sample), replace=False)] = True
        phrases = _phrase_models(wh)
        uids, docs = [], []
        for rows in _corpus_batches(corpus_file, in_sample):
            batch_uids, batch_docs = _documents(rows, phrases, corpus.lang)
            uids += batch_uids
            docs += batch_docs
        with_words = sum(1 for d in docs if d)
        if with_words < 50:
            raise NothingToModel(f"only {with_words} processed posts with words match "
                                 f"{corpus.as_dict()}; a topic model needs at least 50 (run `qatysu process` first?)")
        if method == "lda":
            fit = fit_lda(docs, k=params.k, k_grid=params.k_grid, seed=params.seed, workers=params.workers,
                          coherence_docs=params.coherence_sample)
        elif method == "bertopic":
            fit = fit_bertopic(docs, k=params.k, seed=params.seed, seed_topics=seed_topics,
                               coherence_docs=params.coherence_sample)
        else:
            raise ValueError(f"unknown method {method!r}: lda or bertopic")
        parts = [_doc_topic_rows(uids, fit.weights, fit.main_topic)]
        sizes = Counter(fit.main_topic.tolist())
        del docs
        for batch_uids, main, weights in _assigned(fit.model, _corpus_batches(corpus_file, ~in_sample), phrases,
                                                   corpus.lang):
            parts.append(_doc_topic_rows(batch_uids, weights, main))
            sizes.update(main.tolist())
    doc_topics = pa.concat_tables(parts)
    now = datetime.now(timezone.utc)
    model_id = f"{method}-{corpus.lang}-{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:4]}"
    path = models_dir(wh) / model_id
    partial = models_dir(wh) / f"{PARTIAL}{os.getpid()}-{model_id}"
    fit.save(partial)
    chosen = fit.chosen
    record = {
        "model_id": model_id, "method": method, "lang": corpus.lang, "k": fit.k,
        "params": {**fit.params, "fit_sample": params.fit_sample, "assign_batch": ASSIGN_BATCH},
        "corpus_filter": corpus.as_dict(), "n_docs": n, "n_fit": len(uids), "n_terms": fit.n_terms,
        "assignment": "fit" if len(uids) == n else f"{fit.model.assignment}, in batches of {ASSIGN_BATCH}",
        "coherence_cv": chosen.cv if chosen else None, "coherence_npmi": chosen.npmi if chosen else None,
        "deterministic": fit.deterministic, "versions": software_versions(*LIBRARIES[method]),
        "path": str(path), "created_at": now,
    }
    # sizes count every modelled post; the examples are the most representative posts of the fit sample
    topics = [{"topic_id": t.topic_id, "label": t.label, "top_terms": t.terms, "term_weights": t.weights,
               "size": sizes.pop(t.topic_id, 0), "examples": [uids[i] for i in t.examples]} for t in fit.topics]
    topics += [{"topic_id": t, "label": Topic(t, [], [], 0, []).label, "top_terms": [], "term_weights": [],
                "size": size, "examples": []} for t, size in sorted(sizes.items())]  # only outside the sample
    coherence = [{"k": c.k, "cv": c.cv, "npmi": c.npmi, "chosen": c.chosen} for c in fit.coherence]
    try:
        with wh.writer() as con:
            store_topic_fit(con, record, topics, coherence, doc_topics)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    os.replace(partial, path)  # published only once registered: a model folder always has its row
    return TopicsSummary(model_id, method, fit.k, n, len(uids), record["coherence_cv"], path)


@dataclass(frozen=True)
class TopicsStepSummary:
    fitted: list[TopicsSummary]
    skipped: dict[str, str]  # "<method> <lang>" → why nothing was modelled


def topics_step(
    wh: Warehouse,
    params: TopicsConfig,
    *,
    corpus: CorpusFilter = CorpusFilter(),
    lexicon: Lexicon | None = None,
) -> TopicsStepSummary:
    """The topic step: one model per method and language of ``params`` over the posts ``corpus`` selects
    (its language is replaced by each of ``params.langs``), recorded as one run in ``analysis_runs``.
    A language with too few posts is skipped and said so, not an error."""
    if params.guided and lexicon is None:
        raise ValueError("guided topics need the lexicon")
    fitted, skipped = [], {}
    with recorded_run(wh, "topics", {**params.model_dump(mode="json"), "corpus_filter": corpus.as_dict()}) as run:
        if cleaned := clean_model_dirs(wh):
            run["inputs"] = {"cleaned": cleaned}
        for method in params.methods:
            for lang in params.langs:
                seeds = (lexicon.seed_topics(("ru", "kk") if lang == "all" else (lang,))
                         if params.guided and method == "bertopic" else None)
                try:
                    fitted.append(fit_topics(wh, params, method=method, corpus=replace(corpus, lang=lang),
                                             seed_topics=seeds))
                except NothingToModel as exc:
                    skipped[f"{method} {lang}"] = str(exc)
        run["outputs"] = {"models": [f.model_id for f in fitted], "skipped": skipped}
        if not fitted:
            run["status"] = "nothing to do"
    return TopicsStepSummary(fitted, skipped)


def models_dir(wh: Warehouse) -> Path:
    """Where fitted topic models are saved, one folder each, named after the model id."""
    return wh.data_dir / "models"


def clean_model_dirs(wh: Warehouse) -> list[str]:
    """Finish or remove what fits killed midway left behind; return what was done, one line each.

    A fit saves into ``.partial-<pid>-<model id>`` and renames it once the model's row has committed. A partial
    folder of a process that is gone is published when its model was registered (the fit was killed between the
    two), removed otherwise; a model folder without a registered model (from an older version) is removed.
    """
    folder = models_dir(wh)
    if not folder.is_dir():
        return []
    with wh.reader(live=True) as con:
        registered = {model_id for model_id, *_ in list_topic_models(con)[1]}
    done = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(PARTIAL):
            pid, _, model_id = entry.name.removeprefix(PARTIAL).partition("-")
            if not pid.isdigit() or not Owner(int(pid), socket.gethostname(), None).is_gone():
                continue  # a fit in progress
            if model_id in registered and not (folder / model_id).exists():
                os.replace(entry, folder / model_id)
                done.append(f"published {model_id}, registered by a fit stopped before it renamed the folder")
                continue
        elif entry.name in registered or not entry.is_dir():
            continue
        shutil.rmtree(entry, ignore_errors=True)
        done.append(f"removed {entry.name}, a model folder without a registered model")
    return done
