"""The processing step: stream unprocessed posts from the warehouse, analyse them, store the results.

Posts are read and written in batches, each its own transaction, on one write session, so other flows
are held up for at most half a minute at a time and a run that stops midway resumes where it stopped.
The analysis itself (normalising, language, lemmas, regions) runs in worker processes, one per core, or on
the workers of a Dask cluster: while they analyse the next batches, this process, the single writer, stores
the last one, in the order the posts were read. After new posts are processed,
the phrase model of each language is retrained on all stored lemmas and applied again. Search needs nothing more:
it reads the stored lemmas.

Phrases are rebuilt whenever they were not built from the language's current lemmas (the lemma state is stored
with them) or the model file is missing, not only after new posts: a run killed after its last batch, or while
training, is completed by the next run, which then gives what an uninterrupted run would have.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import tempfile
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from functools import lru_cache
from itertools import count
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from qatysu.flows.config import ProcessConfig
from qatysu.flows.provenance import recorded_run
from qatysu.nlp.phrases import PhraseModel, phrases_of
from qatysu.nlp.pipeline import analyze, learnt_forms, lemmatize_phrase, teach_forms
from qatysu.nlp.regions import RegionMatcher
from qatysu.warehouse import Warehouse, WriteSession
from qatysu.warehouse.nlp_store import (
    PostText,
    ProcessedBatch,
    finish_processing,
    lemma_lists,
    lemma_state,
    phrases_state,
    region_aliases,
    store_phrases,
    stage_pending,
    staged_batches,
    store_processed,
)

PHRASE_LANGS = ("ru", "kk")
MIN_PHRASE_POSTS = 50  # a language with fewer processed posts gets no phrase model
Aliases = tuple[tuple[str, str, str], ...]  # (alias, region code, alias kind) rows of region_aliases
IN_FLIGHT = 3  # batches handed to the workers at a time, so they have work while this process stores one
# The first and last batches go to the workers in chunks this much smaller than the others: the first so that
# the workers hand each other the forms they read more often while most forms are new to both, the last so that
# they finish together.
EDGE_SPLIT = 4


@dataclass(frozen=True)
class ProcessSummary:
    processed: int
    by_lang: dict[str, int]
    regions: int
    phrases: dict[str, int]


@lru_cache(maxsize=2)
def _region_matcher(aliases: Aliases) -> RegionMatcher:
    return RegionMatcher(aliases, lemmatize_phrase)


def analyse_posts(posts: Sequence[PostText], aliases: Aliases, forms: Path | None = None) -> ProcessedBatch:
    """Language, lemmas, hashtags, mentions, links, emoji and text regions of each post (runs in a worker).
    ``forms``: the folder where the run's analysis processes leave the word forms each has read and take those
    the others left, so that most forms are read once per run rather than once per process."""
    matcher = _region_matcher(aliases)
    if forms:
        _take_forms(forms)
    try:
        return _analyse(posts, matcher)
    finally:
        if forms:
            _leave_forms(forms)
        if not gc.isenabled():  # an analysis process of the step's own pool collects here (see _load_in_worker)
            gc.collect()
        gc.freeze()  # the forms this batch read stay for the run: collections need not walk them again


_TAKEN: set[str] = set()  # the form files this process has taken
_LEFT = count()


def _take_forms(folder: Path) -> None:
    mine = f"{os.getpid()}-"
    for path in sorted(folder.glob("*.forms")):
        if path.name not in _TAKEN and not path.name.startswith(mine):
            teach_forms(pickle.loads(path.read_bytes()))
            _TAKEN.add(path.name)


def _leave_forms(folder: Path) -> None:
    path = folder / f"{os.getpid()}-{next(_LEFT):06d}.forms"
    part = path.with_suffix(".part")
    part.write_bytes(pickle.dumps(learnt_forms(), protocol=pickle.HIGHEST_PROTOCOL))
    part.rename(path)  # the others see whole files only


def _analyse(posts: Sequence[PostText], matcher: RegionMatcher) -> ProcessedBatch:
    lemmas, regions = [], []  # rows in the order of LEMMA_COLUMNS and REGION_COLUMNS
    for (post_uid, content_hash, _), a in zip(posts, analyze(text or "" for _, _, text in posts)):
        words, content, norm = a.word_lemmas, a.content_lemmas, a.normalized
        lemmas.append((post_uid, content_hash, a.lang, content, len(words), len(content),
                       norm.hashtags, norm.mentions, norm.urls, norm.emoji))
        regions.extend((post_uid, m.region_code, m.confidence, m.matched + (f" ({m.note})" if m.note else ""))
                       for m in matcher.find(words, a.name_evidence))
    return ProcessedBatch.from_rows(lemmas, regions)


def default_workers() -> int:
    """One analysis process per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@contextmanager
def _workers(n: int, aliases: Aliases) -> Iterator[Executor | None]:
    """A pool of ``n`` analysis processes, started at once, each loading its lemmatisers and region matcher as
    it starts; or None (``n`` ≤ 1) to analyse in this process. Forked where the platform can."""
    if n <= 1:
        yield None
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context(method), initializer=_load_in_worker,
                             initargs=(aliases,)) as pool:
        pool.submit(int)  # the first task starts every process
        yield pool


def _load_in_worker(aliases: Aliases) -> None:
    # One collection after each chunk (analyse_posts) rather than one per 700 new objects: loading and analysis
    # make millions of objects and no reference cycles (none in the 22,099 posts of the shared corpus), and the
    # collector's passes over them cost a fifth of the loading time and a twentieth of the analysis.
    gc.disable()
    _region_matcher(aliases)  # loads the lemmatisers on the way
    gc.freeze()  # their many objects are left out of the worker's collections, as in _frozen_heap


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """Objects that exist now (the caller's data: a flow's whole Prefect state, say) are left out of garbage
    collection while the batches run: collections do not walk them again and again, and forked workers do not
    copy the memory pages a collection would touch (``gc.freeze``, as Python's documentation advises before a
    fork)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _submit(pool: Executor | None, posts: list[PostText], aliases: Aliases, parts: int,
            forms: Path | None) -> list[Future]:
    """The batch analysed in ``parts`` chunks by the pool (or at once, here, without one)."""
    if pool is None:
        done: Future = Future()
        done.set_result(analyse_posts(posts, aliases))
        return [done]
    size = -(-len(posts) // parts)
    return [pool.submit(analyse_posts, posts[i:i + size], aliases, forms) for i in range(0, len(posts), size)]


def process_posts(
    wh: Warehouse,
    params: ProcessConfig,
    *,
    executor: Executor | None = None,
    slots: int | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> ProcessSummary:
    """Process every pending post (see the module's docstring) and rebuild the phrases of each language whose
    lemmas changed since they were built; ``workers`` analysis processes, one per core by default (1: analyse in
    this process), or, given an ``executor`` (a Dask cluster's, say), its ``slots``; ``progress(done, total)``
    after each stored batch."""
    workers = slots or params.workers or default_workers()
    started = datetime.now(timezone.utc)
    work = wh.data_dir / "tmp"
    work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work, prefix="process-") as tmp:
        staged = Path(tmp) / "pending.parquet"
        with wh.writer(publish=False) as con:
            aliases = region_aliases(con)
        # a Dask cluster's workers may not share this machine's disk: they read each form themselves
        forms = Path(tmp) / "forms" if not executor and workers > 1 else None
        if forms:
            forms.mkdir()
        # the workers start, and load their lemmatisers, while this process stages the posts: forked while no
        # connection to the warehouse is open here
        with _frozen_heap(), _workers(0 if executor else workers, aliases) as own_pool:
            with wh.writer(publish=False) as con:
                total = stage_pending(con, staged, since=params.since,
                                      reprocess_before=started if params.reprocess else None)
            pending = staged_batches(staged, params.batch_size)
            batch, processed_before = next(pending, ([], False))
            done, submitted, regions, by_lang = 0, 0, 0, {}
            progress(0, total)
            pool = executor or own_pool
            in_flight: deque[tuple[list[Future], bool]] = deque()
            # DuckDB on one thread: its batches are small, and the cores are the analysis workers'
            with wh.write_session(threads=1) as session:
                while batch or in_flight:
                    if batch:
                        submitted += len(batch)
                        edge = submitted == len(batch) or total - submitted < params.batch_size
                        parts = workers * (EDGE_SPLIT if edge else 1)
                        in_flight.append((_submit(pool, batch, aliases, parts, forms), processed_before))
                        batch, processed_before = next(pending, ([], False))
                        if len(in_flight) < IN_FLIGHT and batch:
                            continue
                    futures, replace = in_flight.popleft()
                    result = ProcessedBatch.concat([f.result() for f in futures])
                    store_processed(session.connection(), result, datetime.now(timezone.utc), replace=replace,
                                    finish=False)
                    done += result.lemmas.num_rows
                    regions += result.regions.num_rows
                    for lang, n in zip(*result.lemmas.column("lang").value_counts().flatten()):
                        by_lang[lang.as_py()] = by_lang.get(lang.as_py(), 0) + n.as_py()
                    progress(done, total)
                finish_processing(session.connection())
                phrases = retrain_phrases(session, _stale_phrase_langs(session))
    return ProcessSummary(done, by_lang, regions, phrases)


def process_step(
    wh: Warehouse,
    params: ProcessConfig,
    *,
    executor: Executor | None = None,
    slots: int | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> ProcessSummary:
    """The processing step as the command and the flow run it: :func:`process_posts`, recorded in
    ``analysis_runs`` (``nothing to do`` when no post was new or edited and no phrases needed rebuilding)."""
    with recorded_run(wh, "process", params.model_dump(mode="json"), ("pymorphy3", "spacy", "gensim")) as run:
        summary = process_posts(wh, params, executor=executor, slots=slots, progress=progress)
        run["inputs"] = {"posts": summary.processed}
        run["outputs"] = asdict(summary)
        if not summary.processed and not summary.phrases:
            run["status"] = "nothing to do"
    return summary


def _stale_phrase_langs(session: WriteSession) -> list[str]:
    """Languages whose stored phrases were not built from their current lemmas, or whose phrase model is
    missing: after new or edited posts, and after a run that stopped before its phrases were stored."""
    con = session.connection()
    stale = []
    for lang in PHRASE_LANGS:
        state = lemma_state(con, lang)
        needs_model = int(state.split()[0]) >= MIN_PHRASE_POSTS
        if phrases_state(con, lang) != state or (needs_model and not PhraseModel.exists(
                PhraseModel.path_in(session.wh.data_dir, lang))):
            stale.append(lang)
    return stale


def retrain_phrases(session: WriteSession, langs: Sequence[str] = PHRASE_LANGS) -> dict[str, int]:
    """Retrain the phrase model of each of ``langs`` on every stored post, save it, and store each post's phrases
    with the lemma state they were built from (a language with too few posts gets no model and no phrases).
    The warehouse checkpoints while the models train."""
    con = session.connection()
    corpora = {lang: (lemma_state(con, lang), *lemma_lists(con, lang)) for lang in langs}
    with session.checkpointing():
        trained = {lang: PhraseModel.train_and_join(docs) for lang, (_, uids, docs) in corpora.items()
                   if len(uids) >= MIN_PHRASE_POSTS}
    found = {}
    for lang, (state, uids, _) in corpora.items():
        path = PhraseModel.path_in(session.wh.data_dir, lang)
        if lang in trained:
            model, joined = trained[lang]
            model.save(path)
            phrases = phrases_of(joined)
            found[lang] = len(pc.unique(phrases.flatten()))
        else:
            PhraseModel.remove(path)
            phrases = pa.array([[] for _ in range(len(uids))], type=pa.list_(pa.string()))
        store_phrases(session.connection(), lang, uids, phrases, state)
    return found
