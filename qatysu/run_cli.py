"""``qatysu run`` (the main job) and ``qatysu report``."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated

import typer

from qatysu.flows.config import CollectConfig, PipelineConfig, ReportConfig, TopicsConfig, default
from qatysu.output import DaskOption, DbOption, console, err, invalid, param_help
from qatysu.warehouse import Warehouse, init_warehouse

DEMO_DB = Path("demo/qatysu.duckdb")
DEMO_OUT = Path("demo/report")
# The demo's pages are on this machine: no politeness delay is needed.
DEMO_CRAWL = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "16"}

ConfigOption = Annotated[Path | None, typer.Option("--config", exists=True, dir_okay=False,
                                                   help="Pipeline YAML (sources, steps, report); see docs/pipeline.md.")]


def _config(config_file: Path | None):
    try:
        return PipelineConfig.from_file(config_file) if config_file else PipelineConfig()
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise typer.BadParameter(str(exc), param_hint="--config")


def _size(path: Path) -> str:
    total = sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else path.stat().st_size
    return f"{total / 1024 ** 2:.1f} MiB"


def run_command(
    config_file: ConfigOption = None,
    db: DbOption = None,
    out: Annotated[Path | None, typer.Option(help="Directory for the reports [default: from the config, or ./reports].")]
    = None,
    demo: Annotated[bool, typer.Option(help="Offline demo: a synthetic corpus served on 127.0.0.1, crawled, "
                                            "processed, modelled, linked and reported.")] = False,
    dask: DaskOption = None,
) -> None:
    """Run the whole pipeline (collect → process → topics → markers → link → report) as a Prefect flow."""
    from qatysu.flows.prefect_env import configure

    cfg = _config(config_file)
    if db:
        cfg.db = db
    elif demo and not config_file:
        cfg.db = DEMO_DB
    if dask:
        cfg.dask.address = dask
    if out:
        cfg.out = out
    elif demo and not config_file:
        cfg.out = DEMO_OUT
    wh = Warehouse.at(cfg.db)
    configure(wh.data_dir, log_level="INFO")  # a long job: say what each step did
    started = time.perf_counter()
    if demo:
        from qatysu.synthetic.demo import add_demo_petitions, build_demo
        from qatysu.synthetic.preview_server import PreviewServer

        init_warehouse(wh)
        console.print(f"demo: generating a synthetic corpus into {wh.path}…")
        built = build_demo(wh)
        add_demo_petitions(wh)
        server = PreviewServer(built.site)
        cfg.collect = CollectConfig(platforms=["telegram"], settings=DEMO_CRAWL)
        cfg.topics = TopicsConfig(methods=["lda", "bertopic"], langs=["ru", "kk"], k_grid=[5, 7, 10])
    else:
        server = None
    from qatysu.flows.pipeline import pipeline

    if server:
        with server as url:
            os.environ["QATYSU_TELEGRAM_BASE_URL"] = url
            console.print(f"demo: serving {len(built.site.channels)} channels at {url}/s/<channel>")
            state = pipeline(cfg, return_state=True)
    else:
        state = pipeline(cfg, return_state=True)
    elapsed = time.perf_counter() - started
    if not state.is_completed():
        err.print(f"pipeline {state.name.lower()}: {state.message or ''}", markup=False)
        raise typer.Exit(1)
    report = cfg.out / "report.html"
    console.print(f"[green]Done[/green] in {elapsed / 60:.1f} min. Report: {report} ({_size(report)}); "
                  f"all outputs in {cfg.out} ({_size(cfg.out)}); warehouse {cfg.db}", highlight=False)


def report_command(
    model: Annotated[str | None, typer.Option("--model", help="Topic model [default: the latest per method and language].")]
    = None,
    formats: Annotated[str, typer.Option("--format", help="Comma-separated: " + param_help(ReportConfig, "formats"))]
    = ",".join(default(ReportConfig, "formats")),
    out: Annotated[Path, typer.Option(help="Directory to write into.")] = default(PipelineConfig, "out"),
    boundaries: Annotated[Path | None, typer.Option(exists=True, dir_okay=False,
                                                    help=param_help(ReportConfig, "boundaries"))] = None,
    boundaries_attribution: Annotated[str | None, typer.Option(
        help=param_help(ReportConfig, "boundaries_attribution"))] = None,
    db: DbOption = None,
) -> None:
    """Write the reports: HTML (charts, maps, methods; self-contained), XLSX, CSV files and Markdown."""
    from pydantic import ValidationError

    from qatysu.flows.report import report_step

    try:
        params = ReportConfig(formats=[f.strip() for f in formats.split(",") if f.strip()], boundaries=boundaries,
                              boundaries_attribution=boundaries_attribution)
    except ValidationError as exc:
        raise typer.BadParameter(invalid(exc), param_hint="--format")
    try:
        summary = report_step(Warehouse.at(db), out, params, model_id=model)
    except ValueError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(1)
    console.print(f"[green]Wrote[/green] {len(summary.files)} files to {out} ({_size(out)})", highlight=False)
