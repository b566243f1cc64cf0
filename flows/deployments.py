"""Scheduled deployments, served by ``qatysu serve`` and described for ``prefect deploy`` in prefect.yaml
(a test keeps the two in step). Schedules need a Prefect server (``prefect server start``); a one-off
``qatysu run`` needs none."""

from __future__ import annotations

from typing import Any

from prefect.events import DeploymentEventTrigger

from qatysu.flows.config import PipelineConfig
from qatysu.flows.pipeline import collect, forecast, link, markers, process, report, topics

# name → (flow, cron or None for "after collect", parameters taken from the pipeline config)
SCHEDULES: dict[str, tuple[Any, str | None]] = {
    "collect-hourly": (collect, "0 * * * *"),
    "process-after-collect": (process, None),
    "topics-weekly": (topics, "0 2 * * 1"),
    "markers-weekly": (markers, "0 4 * * 1"),
    "link-weekly": (link, "0 5 * * 1"),
    "forecast-weekly": (forecast, "30 5 * * 1"),
    "report-weekly": (report, "0 6 * * 1"),
}

AFTER_COLLECT = {"expect": ["prefect.flow-run.Completed"],
                 "match_related": {"prefect.resource.role": "flow", "prefect.resource.name": "collect"}}


def parameters(name: str, config: PipelineConfig) -> dict[str, Any]:
    db = str(config.db.resolve())
    step = name.split("-")[0]
    if step == "forecast":  # the panel's windows are the links' windows
        return {"db": db, "config": config.forecast.model_dump(mode="json"), "window_days": config.link.window_days}
    if step == "report":
        return {"db": db, "out": str(config.out.resolve()), "config": config.report.model_dump(mode="json")}
    return {"db": db, "config": getattr(config, step).model_dump(mode="json")}


def deployments(config: PipelineConfig) -> list:
    built = []
    for name, (flow_, cron) in SCHEDULES.items():
        built.append(flow_.to_deployment(
            name=name, cron=cron, parameters=parameters(name, config),
            triggers=None if cron else [DeploymentEventTrigger(**AFTER_COLLECT)],
            tags=["qatysu"]))
    return built


def serve_all(config: PipelineConfig) -> None:
    from prefect import serve

    serve(*deployments(config))
