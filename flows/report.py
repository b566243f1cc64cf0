"""The report step: write the reports and record the run (used by the ``report`` flow and ``qatysu report``)."""

from __future__ import annotations

from pathlib import Path

from qatysu.flows.config import ReportConfig
from qatysu.flows.provenance import recorded_run
from qatysu.models.links import Q_LEVEL
from qatysu.reports import ReportSummary, write_report
from qatysu.warehouse import Warehouse


def report_step(wh: Warehouse, out: Path, params: ReportConfig, *, model_id: str | None = None) -> ReportSummary:
    """Write every format of ``params`` into ``out``, from the topic model ``model_id`` (default: the latest
    per language)."""
    with recorded_run(wh, "report", {**params.model_dump(mode="json"), "out": str(out), "model_id": model_id}) as run:
        summary = write_report(wh, out, formats=tuple(params.formats), q_level=Q_LEVEL, model_id=model_id,
                               boundaries=params.boundaries)
        run["outputs"] = {"files": len(summary.files), "charts": summary.charts, "models": summary.models}
    return summary
