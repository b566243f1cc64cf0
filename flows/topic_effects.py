"""The topic-effects step: how each topic's share of a post varies with region, month, kind of source and
language, with the uncertainty of the posts' topic proportions carried through (STM's method of composition,
see :mod:`qatysu.models.topic_effects`). Results go to ``topic_effects``; the run to ``analysis_runs``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from qatysu.flows.provenance import recorded_run
from qatysu.flows.topics import load_documents
from qatysu.models.topic_effects import DEFAULT_DRAWS, design_matrix, dirichlet_sampler, estimate_effects
from qatysu.models.topics import OUTLIER, load_model
from qatysu.warehouse import Warehouse, WarehouseError
from qatysu.warehouse.topic_effects_store import COVARIATES, effect_covariates, main_topics, store_effects
from qatysu.warehouse.topic_store import CorpusFilter, topic_model_info

MIN_LEVEL_DOCS = 20  # levels of a covariate with fewer posts are pooled into "(other)"


@dataclass(frozen=True)
class EffectsSummary:
    run_id: str
    model_id: str
    n_docs: int
    draws: int
    terms: int  # coefficients per topic
    found: int  # non-intercept estimates whose 95% interval leaves out 0


def _corpus(info: dict) -> CorpusFilter:
    f = info["corpus_filter"] if isinstance(info["corpus_filter"], dict) else json.loads(info["corpus_filter"])
    when = {k: datetime.fromisoformat(f[k]) if f.get(k) else None for k in ("since", "until")}
    return CorpusFilter(f["lang"], when["since"], when["until"], tuple(f.get("platforms") or ()),
                        tuple(f.get("sources") or ()))


def estimate_topic_effects(wh: Warehouse, model_id: str, *, covariates: Sequence[str] = ("region", "month"),
                           draws: int = DEFAULT_DRAWS, seed: int = 0,
                           min_level_docs: int = MIN_LEVEL_DOCS) -> EffectsSummary:
    unknown = set(covariates) - set(COVARIATES)
    if unknown or not covariates:
        raise WarehouseError(f"covariates are {', '.join(COVARIATES)} (not {', '.join(sorted(unknown)) or 'none'})")
    with wh.reader(live=True) as con:
        info = topic_model_info(con, model_id)
        if info is None:
            raise WarehouseError(f"no topic model {model_id!r}; `qatysu topics list` shows the fitted ones")
        frame = effect_covariates(con, model_id)
        mains = main_topics(con, model_id) if info["method"] != "lda" else {}
    params = {"model_id": model_id, "covariates": list(covariates), "draws": draws, "seed": seed,
              "min_level_docs": min_level_docs}
    with recorded_run(wh, "topic_effects", params, ("scipy",)) as run:
        if info["method"] == "lda":
            theta_draws, keep, topics = _lda_posterior(wh, info, frame["post_uid"].tolist())
            used = draws
        else:  # BERTopic gives each post one topic and no posterior: the assignments are taken as known
            keep = np.array([mains.get(u, OUTLIER) != OUTLIER for u in frame["post_uid"]])
            assigned = np.array([mains[u] for u in frame["post_uid"][keep]])
            topics = sorted(set(assigned.tolist()))
            one_hot = (assigned[:, None] == np.array(topics)[None, :]).astype(float)
            theta_draws, used = (lambda rng: one_hot), 1
        design = design_matrix(frame[keep].reset_index(drop=True), covariates, min_docs=min_level_docs)
        effects = estimate_effects(theta_draws, design, topics, draws=used, seed=seed)
        with wh.writer() as con:
            store_effects(con, run["run_id"], model_id, effects.table, effects.n_docs, effects.draws)
        slopes = effects.table[effects.table["covariate"] != "(intercept)"]
        found = int(((slopes["ci_low"] > 0) | (slopes["ci_high"] < 0)).sum())
        run["inputs"] = {"posts": effects.n_docs, "levels": {c: v for c, v in design.reference.items()}}
        run["outputs"] = {"estimates": len(effects.table), "interval_excludes_zero": found}
    return EffectsSummary(run["run_id"], model_id, effects.n_docs, effects.draws, len(design.terms), found)


def _lda_posterior(wh: Warehouse, info: dict, uids: list[str]):
    """The Dirichlet sampler over the modelled posts that have words, which of ``uids`` they are, and the
    topics."""
    model = load_model(Path(info["path"]))
    doc_uids, docs = load_documents(wh, _corpus(info))
    position = {u: i for i, u in enumerate(doc_uids)}
    keep = np.array([u in position and bool(docs[position[u]]) for u in uids])
    gamma = model.posterior([docs[position[u]] for u, k in zip(uids, keep) if k])
    with_words = np.array([bool(model.dictionary.doc2bow(docs[position[u]])) for u, k in zip(uids, keep) if k])
    keep[np.flatnonzero(keep)[~with_words]] = False  # no word of the vocabulary: the posterior is the prior
    return dirichlet_sampler(gamma[with_words]), keep, list(range(gamma.shape[1]))
