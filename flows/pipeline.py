"""Prefect flows: ``collect``, ``process``, ``topics``, ``markers``, ``link``, ``report``, and ``pipeline`` that
runs them in order. Each flow is a thin shell over library code (crawlers, nlp, models, reports, warehouse)
and records its provenance in ``analysis_runs``. Call :func:`flows.prefect_env.configure` before importing
this module, so that Prefect's home and telemetry settings take effect.
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task

from qatysu.flows.config import CollectConfig, LinkConfig, MarkersConfig, PipelineConfig, ReportConfig, TopicsConfig
from qatysu.flows.provenance import recorded_run
from qatysu.warehouse import Warehouse, init_warehouse
from qatysu.warehouse.crawls import registered_handles
from qatysu.warehouse.topic_store import CorpusFilter


def _crawl_in_child(platform: str, db: str, handles: list[str], since: datetime | None, max_pages: int | None,
                    settings: dict[str, str]) -> dict[str, Any]:
    from qatysu.crawlers.run import run_crawl

    # This child imported Prefect, whose handlers sit on the root logger and would print Scrapy's DEBUG lines;
    # Scrapy installs its own root handler at the crawl's LOG_LEVEL.
    logging.getLogger().handlers.clear()
    summary = run_crawl(platform, Warehouse.at(db), overrides={"LOG_LEVEL": "WARNING", **settings},
                        handles=handles, since=since, max_pages=max_pages)
    return asdict(summary)


@task(name="crawl", retries=2, retry_delay_seconds=30)
def crawl_platform(db: str, platform: str, config: CollectConfig) -> dict[str, Any]:
    """One platform's crawl, in a fresh child process (Twisted's reactor runs once per process, and a crash
    mid-crawl must not take the flow with it; ingestion is idempotent, so a retry duplicates nothing)."""
    with Warehouse.at(db).reader(live=True) as con:
        handles = registered_handles(con, platform)
    if not handles:
        get_run_logger().warning(f"no {platform} sources registered: nothing to collect")
        return {"spider": platform, "pages": 0, "posts_new": 0, "posts_updated": 0, "errors": 0,
                "finish_reason": "nothing to do"}
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        summary = pool.submit(_crawl_in_child, platform, db, handles, config.since, config.max_pages,
                              config.settings).result()
    if summary["finish_reason"] != "finished" or summary["errors"]:
        raise RuntimeError(f"{platform} crawl ended with {summary['errors']} errors ({summary['finish_reason']})")
    get_run_logger().info(f"{platform}: {summary['pages']} pages, {summary['posts_new']} new posts, "
                          f"{summary['posts_updated']} updated")
    return summary


@flow(name="collect")
def collect(db: str, config: CollectConfig = CollectConfig()) -> dict[str, Any]:
    wh = Warehouse.at(db)
    with recorded_run(wh, "collect", config.model_dump(mode="json")) as run:
        results = {p: crawl_platform(db, p, config) for p in config.platforms}
        run["outputs"] = results
        if not any(r["posts_new"] or r["posts_updated"] for r in results.values()):
            run["status"] = "nothing to do"
    return results


@flow(name="process")
def process(db: str) -> dict[str, Any]:
    from qatysu.flows.process import process_posts

    wh = Warehouse.at(db)
    with recorded_run(wh, "process", {}) as run:
        summary = process_posts(wh)
        run["outputs"] = asdict(summary)
        if not summary.processed:
            run["status"] = "nothing to do"
            get_run_logger().info("no new or edited posts to process")
    return asdict(summary)


@flow(name="topics")
def topics(db: str, config: TopicsConfig = TopicsConfig()) -> list[str]:
    from qatysu.flows.topics import NothingToModel, fit_topics

    wh = Warehouse.at(db)
    fitted = []
    with recorded_run(wh, "topics", config.model_dump(mode="json")) as run:
        for method in config.methods:
            for lang in config.langs:
                try:
                    summary = fit_topics(wh, method=method, corpus=CorpusFilter(lang), k_grid=tuple(config.k_grid),
                                         seed=config.seed)
                except NothingToModel as exc:
                    get_run_logger().warning(f"{method} {lang}: nothing to model: {exc}")
                    continue
                fitted.append(summary.model_id)
                get_run_logger().info(f"{summary.model_id}: {summary.k} topics over {summary.n_docs} posts")
        run["outputs"] = {"models": fitted}
        if not fitted:
            run["status"] = "nothing to do"
    return fitted


@flow(name="markers")
def markers(db: str, config: MarkersConfig = MarkersConfig()) -> dict[str, Any]:
    from qatysu.flows.markers import score_markers

    summary = score_markers(Warehouse.at(db), scopes=config.scopes, prior_size=config.prior_size)
    get_run_logger().info(f"markers run {summary.run_id}: {summary.found} at q ≤ 0.1")
    return asdict(summary)


@flow(name="link")
def link(db: str, config: LinkConfig = LinkConfig()) -> dict[str, Any]:
    from qatysu.flows.link import link_themes

    summary = link_themes(Warehouse.at(db), indicators=config.indicators, min_posts=config.min_posts)
    get_run_logger().info(f"link run {summary.run_id}: {summary.tests} tests, {summary.found} with q ≤ 0.1")
    return asdict(summary)


@flow(name="report")
def report(db: str, out: str, config: ReportConfig = ReportConfig(), model_id: str | None = None) -> list[str]:
    from qatysu.flows.report import report_step

    summary = report_step(Warehouse.at(db), Path(out), formats=tuple(config.formats), model_id=model_id,
                          boundaries=config.boundaries)
    get_run_logger().info(f"report: {len(summary.files)} files in {out}")
    return [str(f) for f in summary.files]


@flow(name="pipeline")
def pipeline(config: PipelineConfig = PipelineConfig()) -> dict[str, Any]:
    """collect → process → topics → markers → link → report, over the configured sources."""
    db = str(config.db)
    wh = Warehouse.at(db)
    init_warehouse(wh)
    with recorded_run(wh, "pipeline", config.model_dump(mode="json")) as run:
        result = {
            "collect": collect(db, config.collect),
            "process": process(db),
            "topics": topics(db, config.topics),
            "markers": markers(db, config.markers),
            "link": link(db, config.link),
            "report": report(db, str(config.out), config.report),
        }
        run["outputs"] = {"models": result["topics"], "report_files": len(result["report"])}
    wh.publish_snapshot()
    return result
