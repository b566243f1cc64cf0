"""The report step: write the reports and record the run (used by the ``report`` flow and ``qatysu report``).

The topic models' own views (BERTopic's intertopic distance map, hierarchy and term bars) need the saved models,
which the reports package does not load: this step loads them and hands the figures over.
"""

from __future__ import annotations

from pathlib import Path

from qatysu.flows.config import ReportConfig
from qatysu.flows.provenance import recorded_run
from qatysu.models.links import Q_LEVEL
from qatysu.reports import ReportSummary, write_report
from qatysu.reports.topic_sections import Views
from qatysu.warehouse import Warehouse
from qatysu.warehouse.topic_store import topic_model_info

BAR_TOPICS = 8  # topics in BERTopic's term bar chart


def report_step(wh: Warehouse, out: Path, params: ReportConfig, *, model_id: str | None = None) -> ReportSummary:
    """Write every format of ``params`` into ``out``, from the topic model ``model_id`` (default: the latest
    per method and language)."""
    with recorded_run(wh, "report", {**params.model_dump(mode="json"), "out": str(out), "model_id": model_id}) as run:
        summary = write_report(wh, out, formats=tuple(params.formats), q_level=Q_LEVEL, model_id=model_id,
                               boundaries=params.boundaries, boundaries_attribution=params.boundaries_attribution,
                               views=lambda models: model_views(wh, models))
        run["outputs"] = {"files": len(summary.files), "charts": summary.charts, "models": summary.models}
    return summary


def model_views(wh: Warehouse, model_ids: list[str]) -> Views:
    """BERTopic's own figures of each BERTopic model (LDA has none); a view that cannot be drawn (too few topics
    for a distance map, a model file gone) becomes a note saying so."""
    with wh.reader(live=True) as con:
        infos = [info for m in model_ids if (info := topic_model_info(con, m)) and info["method"] == "bertopic"]
    views: Views = {}
    for info in infos:
        figures: list = []
        try:
            from qatysu.models.topics import load_model

            model = load_model(Path(info["path"])).model
        except (OSError, ValueError, ImportError) as exc:
            views[info["model_id"]] = [f"The saved model could not be loaded ({exc}); its views are left out."]
            continue
        for name, draw in (("intertopic distance map", lambda: model.visualize_topics()),
                           ("hierarchy", lambda: model.visualize_hierarchy()),
                           ("term bar charts", lambda: model.visualize_barchart(top_n_topics=BAR_TOPICS))):
            try:
                figures.append(draw())
            except Exception as exc:  # noqa: BLE001 — BERTopic's views fail on small models in many ways
                figures.append(f"BERTopic's {name} could not be drawn for this model: {type(exc).__name__}: {exc}")
        views[info["model_id"]] = figures
    return views
