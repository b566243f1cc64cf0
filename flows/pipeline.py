"""Prefect flows: ``collect``, ``process``, ``topics``, ``markers``, ``link``, ``forecast``, ``report``, and
``pipeline`` that runs them in order. Each flow is a thin shell over its step's module (``flows/<step>.py``), which
the ``qatysu`` command calls too, and which records the run in ``analysis_runs``. Call
:func:`flows.prefect_env.configure` before importing this module, so that Prefect's home and telemetry settings
take effect.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from qatysu.flows.config import (
    CollectConfig,
    ForecastConfig,
    LinkConfig,
    MarkersConfig,
    PipelineConfig,
    ProcessConfig,
    ReportConfig,
    TopicsConfig,
)
from qatysu.flows.prefect_env import log_to_file
from qatysu.flows.provenance import recorded_run
from qatysu.models.links import Q_LEVEL
from qatysu.warehouse import Warehouse, init_warehouse

log_to_file()  # in the flow-run processes of `qatysu serve`, its log file (see prefect_env.log_to_file)


@task(name="crawl", retries=2, retry_delay_seconds=30)
def crawl_platform(db: str, platform: str, config: CollectConfig) -> dict[str, Any]:
    """One platform's crawl, in a fresh child process (see ``flows/collect.py``)."""
    from qatysu.flows.collect import NOTHING_TO_DO, collect_in_child

    summary = collect_in_child(Warehouse.at(db), platform, config)
    if summary.finish_reason == NOTHING_TO_DO:
        get_run_logger().warning(f"no {platform} sources registered: nothing to collect")
    elif summary.finish_reason != "finished" or summary.errors:
        raise RuntimeError(f"{platform} crawl ended with {summary.errors} errors ({summary.finish_reason})")
    else:
        get_run_logger().info(f"{platform}: {summary.pages} pages, {summary.posts_new} new posts, "
                              f"{summary.posts_updated} updated")
    return asdict(summary)


@flow(name="collect")
def collect(db: str, config: CollectConfig = CollectConfig(), then: list[str] | None = None) -> dict[str, Any]:
    """Crawl the registered sources; when done, start the deployments named in ``then`` (``flow/deployment``:
    the steps scheduled ``after: collect``)."""
    wh = Warehouse.at(db)
    with recorded_run(wh, "collect", config.model_dump(mode="json")) as run:
        results = {p: crawl_platform(db, p, config) for p in config.platforms}
        run["outputs"] = results
        if not any(r["posts_new"] or r["posts_updated"] for r in results.values()):
            run["status"] = "nothing to do"
    for name in then or []:
        start_deployment(name)
    return results


def start_deployment(name: str) -> None:
    """A run of the deployment ``name`` now, not waited for. This, rather than a Prefect event trigger, chains
    the steps: Prefect 3.8's server with its default SQLite database never fires deployment triggers created
    after it started (tests/test_prefect_server.py shows the chain working)."""
    from prefect.deployments import run_deployment

    started = run_deployment(name, timeout=0, as_subflow=False)
    get_run_logger().info(f"started {name}: flow run {started.name}")


class DaskAnalysers(Executor):
    """The workers of a Dask cluster as an executor for the processing step: each submitted chunk of posts is
    a Prefect task run on a worker, through prefect-dask's ``DaskTaskRunner``; the writer stays here."""

    def __init__(self, runner: Any) -> None:
        self._runner = runner

    @property
    def slots(self) -> int:
        """Chunks a batch is split into: one per worker thread of the cluster."""
        return max(1, sum(self._runner.client.nthreads().values()))

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        params = inspect.signature(fn).bind(*args, **kwargs).arguments
        return self._runner.submit(_as_task(fn), parameters=dict(params))


@lru_cache(maxsize=None)
def _as_task(fn: Callable[..., Any]) -> Any:
    # the inputs are whole batches of posts: not hashed for a cache key nor kept
    return task(fn, name=fn.__name__.replace("_", " "), cache_policy=NO_CACHE, persist_result=False)


@contextmanager
def dask_analysers(address: str) -> Iterator[DaskAnalysers]:
    """The cluster whose scheduler is at ``address`` (``tcp://host:8786``) for the processing step."""
    from prefect_dask import DaskTaskRunner

    with DaskTaskRunner(address=address) as runner:
        analysers = DaskAnalysers(runner)
        analysers.slots  # connects: an unreachable cluster fails here, before anything else starts
        with _api_for_workers():
            yield analysers


@contextmanager
def _api_for_workers() -> Iterator[None]:
    """The workers report their task runs to the Prefect API this process uses. Without PREFECT_API_URL that is
    the temporary local server, which they would not know of (each would try to start its own): its address
    is made a setting here, and so travels with each task."""
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if PREFECT_API_URL.value():
        yield
        return
    server = SubprocessASGIServer()  # the one Prefect's client starts for this process
    server.start()
    with temporary_settings({PREFECT_API_URL: server.api_url}):
        yield


def process_on_dask(wh: Warehouse, params: ProcessConfig, address: str, **options: Any):
    """The processing step with the posts analysed on the Dask cluster whose scheduler is at ``address``."""
    from qatysu.flows.process import process_step

    with dask_analysers(address) as analysers:
        return process_step(wh, params, executor=analysers, slots=analysers.slots, **options)


@flow(name="process")
def process(db: str, config: ProcessConfig = ProcessConfig(), dask_address: str | None = None) -> dict[str, Any]:
    from qatysu.flows.process import process_step

    wh = Warehouse.at(db)
    summary = process_on_dask(wh, config, dask_address) if dask_address else process_step(wh, config)
    if not summary.processed:
        get_run_logger().info("no new or edited posts to process")
    return asdict(summary)


@flow(name="topics")
def topics(db: str, config: TopicsConfig = TopicsConfig()) -> list[str]:
    from qatysu.flows.topics import topics_step
    from qatysu.models.lexicon import load_lexicon

    summary = topics_step(Warehouse.at(db), config, lexicon=load_lexicon(()) if config.guided else None)
    for what, why in summary.skipped.items():
        get_run_logger().warning(f"{what}: nothing to model: {why}")
    for fit in summary.fitted:
        get_run_logger().info(f"{fit.model_id}: {fit.k} topics over {fit.n_docs} posts")
    return [f.model_id for f in summary.fitted]


@flow(name="markers")
def markers(db: str, config: MarkersConfig = MarkersConfig()) -> dict[str, Any]:
    from qatysu.flows.markers import score_markers_step

    summaries = score_markers_step(Warehouse.at(db), config)
    for summary in summaries:
        get_run_logger().info(f"markers run {summary.run_id}: {summary.found} at q ≤ {Q_LEVEL}")
    return {**asdict(summaries[0]), "by_outcome": [asdict(s) for s in summaries]}


@flow(name="link")
def link(db: str, config: LinkConfig = LinkConfig()) -> dict[str, Any]:
    from qatysu.flows.link import link_themes

    summary = link_themes(Warehouse.at(db), config)
    get_run_logger().info(f"link run {summary.run_id}: {summary.tests} tests, {summary.found} with q ≤ {Q_LEVEL}")
    return asdict(summary)


@flow(name="forecast")
def forecast(db: str, config: ForecastConfig = ForecastConfig(),
             window_days: int = LinkConfig().window_days) -> dict[str, Any]:
    from qatysu.flows.forecast import forecast_step

    summary = forecast_step(Warehouse.at(db), config, window_days=window_days)
    get_run_logger().info(f"forecast run {summary.run_id}: models {summary.chosen}; {summary.panel_note}")
    return asdict(summary)


@flow(name="report")
def report(db: str, out: str, config: ReportConfig = ReportConfig(), model_id: str | None = None) -> list[str]:
    from qatysu.flows.report import report_step

    summary = report_step(Warehouse.at(db), Path(out), config, model_id=model_id)
    get_run_logger().info(f"report: {len(summary.files)} files in {out}")
    return [str(f) for f in summary.files]


@flow(name="pipeline")
def pipeline(config: PipelineConfig = PipelineConfig()) -> dict[str, Any]:
    """collect → process → topics → markers → link → forecast → report, over the configured sources."""
    db = str(config.db)
    wh = Warehouse.at(db)
    init_warehouse(wh)
    with recorded_run(wh, "pipeline", config.model_dump(mode="json")) as run:
        result = {
            "collect": collect(db, config.collect),
            "process": process(db, config.process, config.dask.address),
            "topics": topics(db, config.topics),
            "markers": markers(db, config.markers),
            "link": link(db, config.link),
            "forecast": forecast(db, config.forecast, config.link.window_days),
            "report": report(db, str(config.out), config.report),
        }
        run["outputs"] = {"models": result["topics"], "report_files": len(result["report"])}
    wh.publish_snapshot()
    return result
