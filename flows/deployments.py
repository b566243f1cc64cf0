"""Scheduled deployments, from the pipeline config's ``schedules``: served by ``qatysu serve`` in one process,
or written to prefect.yaml (``qatysu prefect-yaml``) for ``prefect deploy --all`` and a process worker. Schedules
need a Prefect server (``prefect server start``); a one-off ``qatysu run`` needs none."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
from typing import Any

import prefect
import yaml

from qatysu.flows.config import PipelineConfig, Schedule
from qatysu.flows.pipeline import collect, forecast, link, markers, process, report, topics

# Deployment names are what users see in Prefect (`prefect deployment run collect/collect-hourly`); the step
# before the dash is the flow and the config's section.
FLOWS = {
    "collect-hourly": collect,
    "process-after-collect": process,
    "topics-weekly": topics,
    "markers-weekly": markers,
    "link-weekly": link,
    "forecast-weekly": forecast,
    "report-weekly": report,
}
TAGS = ["qatysu"]
PREFECT_YAML_HEADER = """\
# Qatysu's scheduled deployments for `prefect deploy --all`, the same set that `qatysu serve` serves in one
# process. Written by `qatysu prefect-yaml` from the pipeline config's `schedules`, `work_pool`, `db`, `out`
# and step sections; regenerate it rather than editing it (a test checks this file against the defaults).
# Schedules need a Prefect server (`prefect server start`) and a worker of the process pool:
#   prefect work-pool create {pool} --type process
#   prefect deploy --all
#   prefect worker start --pool {pool}
"""


def step_of(name: str) -> str:
    return name.split("-")[0]


def followers(config: PipelineConfig) -> list[str]:
    """The deployments (``flow/deployment``) that each completed collect run starts: those ``after: collect``."""
    return [f"{flow_.name}/{name}" for name, flow_ in FLOWS.items() if schedule_of(name, config).after == "collect"]


def parameters(name: str, config: PipelineConfig) -> dict[str, Any]:
    """The flow's parameters for a deployment, from the pipeline config (paths as the config gives them)."""
    step = step_of(name)
    db = str(config.db)
    if step == "collect":
        return {"db": db, "config": config.collect.model_dump(mode="json"), "then": followers(config)}
    if step == "process":
        return {"db": db, "config": config.process.model_dump(mode="json"),
                **({"dask_address": config.dask.address} if config.dask.address else {})}
    if step == "forecast":  # the panel's windows are the links' windows
        return {"db": db, "config": config.forecast.model_dump(mode="json"), "window_days": config.link.window_days}
    if step == "report":
        return {"db": db, "out": str(config.out), "config": config.report.model_dump(mode="json")}
    return {"db": db, "config": getattr(config, step).model_dump(mode="json")}


def schedule_of(name: str, config: PipelineConfig) -> Schedule:
    return getattr(config.schedules, step_of(name))


def deployments(config: PipelineConfig) -> list:
    """The deployments for ``prefect.serve``."""
    built = []
    for name, flow_ in FLOWS.items():
        when = schedule_of(name, config)
        built.append(flow_.to_deployment(name=name, cron=when.cron, interval=when.interval,
                                         parameters=parameters(name, config), tags=list(TAGS)))
    return built


def prefect_yaml(config: PipelineConfig) -> str:
    """prefect.yaml for ``prefect deploy --all``: the same deployments, in the config's process work pool."""
    entries = []
    for name, flow_ in FLOWS.items():
        when = schedule_of(name, config)
        entry: dict[str, Any] = {"name": name, "entrypoint": f"flows/pipeline.py:{flow_.fn.__name__}"}
        if not when.after:  # an `after: collect` step is started by each collect run (its `then` parameter)
            entry["schedules"] = [{"cron": when.cron} if when.cron else {"interval": when.interval}]
        entry.update(parameters=parameters(name, config), work_pool={"name": config.work_pool}, tags=list(TAGS))
        entries.append(entry)
    body = yaml.safe_dump({"name": "qatysu", "prefect-version": prefect.__version__, "deployments": entries},
                          sort_keys=False, allow_unicode=True, width=120)
    return PREFECT_YAML_HEADER.format(pool=config.work_pool) + body


STOP_SECONDS = 6.0  # SIGTERM → exit well within systemd's default 90 s and the 10 s users are promised
log = logging.getLogger("qatysu.serve")


def serve(config: PipelineConfig) -> None:
    """Serve the deployments until SIGTERM or SIGINT, then stop: flow runs in progress are cancelled (their
    processes end; each warehouse batch is its own transaction, so a cut run leaves whole batches only). What
    has not ended after ``STOP_SECONDS`` is killed, and the process exits."""
    log.setLevel(logging.INFO)
    asyncio.run(_serve(deployments(config)))


async def _serve(built: list) -> None:
    from prefect.runner import Runner

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    class _Runner(Runner):
        def handle_sigterm(self, *_: Any) -> None:  # Prefect's own handler exits from inside the signal handler
            loop.call_soon_threadsafe(stop.set)

    runner = _Runner(name="qatysu-serve")
    for deployment in built:
        await runner.aadd_deployment(deployment)
    started = asyncio.create_task(runner.start())
    loop.add_signal_handler(signal.SIGINT, stop.set)
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({started, stopping}, return_when=asyncio.FIRST_COMPLETED)
    if started.done():  # the runner ended by itself (it lost the server, say)
        stopping.cancel()
        started.result()
        return
    log.info("stop signal received: cancelling runs in progress")
    watchdog = threading.Timer(STOP_SECONDS, _force_exit)
    watchdog.daemon = True
    watchdog.start()
    await runner.astop()
    try:
        await started
    except asyncio.CancelledError:
        pass
    watchdog.cancel()
    _kill_children()
    log.info("stopped")


def _force_exit() -> None:
    log.warning(f"not stopped after {STOP_SECONDS:.0f} s: killing the runs' processes and exiting")
    _kill_children()
    logging.shutdown()
    os._exit(0)


def _kill_children() -> None:
    """Flow-run processes this process started that are still alive (never anyone else's)."""
    import psutil

    for child in psutil.Process().children(recursive=True):
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass
