"""The report step: write the reports and record the run (used by the ``report`` flow and ``qatysu report``)."""

from __future__ import annotations

from pathlib import Path

from qatysu.flows.provenance import recorded_run
from qatysu.reports import FORMATS, ReportSummary, write_report
from qatysu.warehouse import Warehouse


def report_step(wh: Warehouse, out: Path, *, formats: tuple[str, ...] = FORMATS, model_id: str | None = None,
                boundaries: Path | None = None) -> ReportSummary:
    params = {"out": str(out), "model_id": model_id, "formats": list(formats),
              "boundaries": str(boundaries) if boundaries else None}
    with recorded_run(wh, "report", params) as run:
        summary = write_report(wh, out, formats=formats, model_id=model_id, boundaries=boundaries)
        run["outputs"] = {"files": len(summary.files), "charts": summary.charts, "models": summary.models}
    return summary
