"""Reports for analysts: HTML (charts and maps, self-contained), XLSX, CSV and Markdown."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from qatysu.reports.html import write_html
from qatysu.reports.maps import boundary_attribution
from qatysu.reports.spreadsheet import write_workbook
from qatysu.reports.tables import write_csv, write_markdown
from qatysu.reports.topic_sections import Views
from qatysu.warehouse import Warehouse
from qatysu.warehouse.forecast_store import forecast_report_tables
from qatysu.warehouse.report_queries import demo_description, report_models, report_tables

@dataclass(frozen=True)
class ReportSummary:
    files: list[Path]
    charts: int
    models: list[str]


def write_report(wh: Warehouse, out: Path, *, formats: Sequence[str], q_level: float, model_id: str | None = None,
                 boundaries: Path | None = None, boundaries_attribution: str | None = None,
                 views: Callable[[list[str]], Views] | None = None) -> ReportSummary:
    """Write each of ``formats`` (html, xlsx, csv, md; checked by the report step's parameters) into ``out``;
    results are findings at q ≤ ``q_level``. ``views(model_ids)`` gives the topic models' own figures for the
    HTML (the caller loads the models: reports do not)."""
    with wh.reader(live=True) as con:
        models = report_models(con, model_id)
        tables = {**report_tables(con, models, q_level=q_level, asked=model_id is not None),
                  **forecast_report_tables(con)}
        demo = demo_description(con)
    out.mkdir(parents=True, exist_ok=True)
    files, charts = [], 0
    if "html" in formats:
        files.append(out / "report.html")
        attribution = boundaries_attribution or (boundary_attribution(boundaries) if boundaries else None)
        charts = write_html(files[-1], tables, demo=demo, boundaries=boundaries, q_level=q_level,
                            attribution=attribution, views=views(models) if views else {})
    if "xlsx" in formats:
        files.append(out / "report.xlsx")
        write_workbook(files[-1], tables, csv_dir="csv")
    if "csv" in formats:
        files += write_csv(out / "csv", tables)
    if "md" in formats:
        files.append(out / "report.md")
        write_markdown(files[-1], tables, demo)
    return ReportSummary(files, charts, models)
