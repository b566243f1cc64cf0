"""``qatysu serve`` (the scheduled deployments, as a long-running service) and ``qatysu prefect-yaml`` (the same
deployments for ``prefect deploy --all``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import httpx
import typer

from qatysu.output import DbOption, console, err
from qatysu.run_cli import ConfigOption, _config
from qatysu.warehouse import Warehouse


def serve_log(data_dir: Path) -> Path:
    """Where ``qatysu serve`` writes its log, next to the warehouse's other data."""
    return data_dir / "logs" / "serve.log"


def serve_command(config_file: ConfigOption = None, db: DbOption = None) -> None:
    """Serve the scheduled deployments (by default collect hourly, process after collect, topics, markers,
    link, forecast and report weekly; the config's `schedules` change them) until SIGTERM or Ctrl-C. Needs a running Prefect
    server: `prefect server start`, and PREFECT_API_URL pointing at it. Logs to the console and to
    logs/serve.log in the warehouse's data directory."""
    from qatysu.flows.prefect_env import configure, log_to_file

    cfg = _config(config_file)
    if db:
        cfg.db = db
    cfg.db, cfg.out = cfg.db.resolve(), cfg.out.resolve()  # the flow runs may start in another directory
    wh = Warehouse.at(cfg.db)
    configure(wh.data_dir, log_level="INFO")
    if not os.environ.get("PREFECT_API_URL"):
        err.print("serve: set PREFECT_API_URL to a running Prefect server (start one with `prefect server start`); "
                  "schedules cannot run on the temporary server a one-off `qatysu run` uses", markup=False)
        raise typer.Exit(1)
    from qatysu.flows.deployments import serve

    log = serve_log(wh.data_dir)
    log_to_file(log)

    console.print(f"Serving {len(cfg.schedules.model_fields)} deployments for {cfg.db}; log: {log}. "
                  "Stop with Ctrl-C or SIGTERM.", highlight=False)
    try:
        serve(cfg)
    except (httpx.HTTPError, OSError) as exc:
        err.print(f"serve: the Prefect server at {os.environ['PREFECT_API_URL']}: {exc or type(exc).__name__}",
                  markup=False)
        raise typer.Exit(1)
    console.print("Stopped.")


def prefect_yaml_command(
    config_file: ConfigOption = None,
    db: DbOption = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", dir_okay=False,
                                             help="Write here [default: standard output].")] = None,
) -> None:
    """Write prefect.yaml for `prefect deploy --all`: the deployments `qatysu serve` serves, with the config's
    schedules, parameters and process work pool."""
    from qatysu.flows.prefect_env import configure

    cfg = _config(config_file)
    if db:
        cfg.db = db
    configure(Warehouse.at(cfg.db).data_dir)
    from qatysu.flows.deployments import prefect_yaml

    text = prefect_yaml(cfg)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"Wrote {out}: deploy with `prefect deploy --all --prefect-file {out}`", highlight=False)
