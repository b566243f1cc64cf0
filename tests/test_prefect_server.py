"""Schedules that fire on a real Prefect server (`prefect server start` on 127.0.0.1, a temporary PREFECT_HOME):
`qatysu serve` runs scheduled collect and process runs and stops on SIGTERM; `prefect deploy --all` with the
written prefect.yaml and a process worker runs a scheduled collect."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

from helpers import ROOT, run_qatysu

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

PREFECT = [sys.executable, "-m", "prefect"]
FAST_CRAWL = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(what: str, check, timeout: float, every: float = 2.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(f"no {what} within {timeout:.0f} s")


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory):
    """A Prefect server of our own; yields the environment that points Prefect's clients at it."""
    home = tmp_path_factory.mktemp("prefect-home")
    api = f"http://127.0.0.1:{_free_port()}/api"
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "DO_NOT_TRACK": "1", "PREFECT_API_URL": api, "PREFECT_SERVER_LOGGING_LEVEL": "WARNING"}
    port = api.split(":")[2].split("/")[0]
    log = (home / "server.log").open("w")
    server = subprocess.Popen([*PREFECT, "server", "start", "--host", "127.0.0.1", "--port", port],
                              env=env, stdout=log, stderr=subprocess.STDOUT)

    def healthy() -> bool:
        try:
            return httpx.get(f"{api}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        _wait("Prefect server", healthy, 180)
        yield env
    finally:
        server.terminate()
        server.wait(30)
        log.close()


def _runs(env: dict, deployment: str) -> dict[str, str]:
    """The state of each flow run (by id) of a deployment (by name), through the server's REST API."""
    api = env["PREFECT_API_URL"]
    deployments = httpx.post(f"{api}/deployments/filter", timeout=60,
                             json={"deployments": {"name": {"any_": [deployment]}}}).json()
    if not deployments:
        return {}
    runs = httpx.post(f"{api}/flow_runs/filter", timeout=60, json={
        "flow_runs": {"deployment_id": {"any_": [d["id"] for d in deployments]}}}).json()
    return {r["id"]: r["state_type"] for r in runs}


def _completed(env: dict, deployment: str, before: dict[str, str] | None = None) -> bool:
    """Whether a run of the deployment completed, not counting the runs in ``before``."""
    try:
        runs = _runs(env, deployment)
    except httpx.TimeoutException:  # a busy SQLite server: ask again at the next poll
        return False
    return any(state == "COMPLETED" for run, state in runs.items() if run not in (before or {}))


def _demo_warehouse(tmp_path: Path):
    """A warehouse with two registered channels, and the site that serves them on 127.0.0.1."""
    from qatysu.synthetic.demo import build_demo
    from qatysu.warehouse import Warehouse, init_warehouse

    wh = Warehouse.at(tmp_path / "qatysu.duckdb")
    init_warehouse(wh)
    return wh, build_demo(wh, posts=120, sources=2)


def _config(tmp_path: Path, wh, **schedules) -> Path:
    path = tmp_path / "pipeline.yaml"
    path.write_text(yaml.safe_dump({"db": str(wh.path), "out": str(tmp_path / "reports"),
                                    "collect": {"settings": FAST_CRAWL}, "work_pool": "qatysu-test",
                                    "schedules": schedules}), encoding="utf-8")
    return path


def test_serve_runs_scheduled_collect_and_process_and_stops_on_sigterm(prefect_server, tmp_path):
    from qatysu.synthetic.preview_server import PreviewServer

    wh, demo = _demo_warehouse(tmp_path)
    config = _config(tmp_path, wh, collect={"interval": 20})
    with PreviewServer(demo.site) as url:
        env = {**prefect_server, "QATYSU_TELEGRAM_BASE_URL": url, "COLUMNS": "200"}
        console = tmp_path / "serve.out"  # a file, not a pipe: nobody reads a pipe while the test waits
        serve = subprocess.Popen([sys.executable, "-m", "qatysu", "serve", "--config", str(config)], env=env,
                                 stdout=console.open("w"), stderr=subprocess.STDOUT)
        try:
            _wait("completed scheduled collect run", lambda: _completed(env, "collect-hourly"), 400)
            _wait("completed process run after collect", lambda: _completed(env, "process-after-collect"), 400)
        finally:
            serve.send_signal(signal.SIGTERM)
            started = time.monotonic()
            try:
                serve.wait(10)
            except subprocess.TimeoutExpired:
                serve.kill()
            output = console.read_text(encoding="utf-8")
        assert serve.returncode is not None and time.monotonic() - started <= 10.5, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    with wh.reader(live=True) as con:
        posts, lemmas = con.execute("SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM post_lemmas)"
                                    ).fetchone()
    assert posts == len(demo.corpus.posts) and lemmas == posts
    log = (wh.data_dir / "logs" / "serve.log").read_text(encoding="utf-8")
    # Stopped in time by itself, or (on a loaded machine) by the watchdog that kills the runs: either way it says so.
    assert "stop signal received" in log, log[-3000:]
    assert "qatysu.serve: stopped" in log or "killing the runs' processes and exiting" in log, log[-3000:]


def test_prefect_deploy_all_with_a_process_worker_runs_a_scheduled_collect(prefect_server, tmp_path):
    from qatysu.synthetic.preview_server import PreviewServer

    wh, demo = _demo_warehouse(tmp_path)
    config = _config(tmp_path, wh, collect={"interval": 30})
    prefect_yaml = tmp_path / "prefect.yaml"
    written = run_qatysu("prefect-yaml", "--config", str(config), "--out", str(prefect_yaml), env=prefect_server)
    assert written.returncode == 0, written.stderr[-2000:]
    env = prefect_server

    def prefect(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*PREFECT, *args], env={**env, "COLUMNS": "250"}, cwd=ROOT, capture_output=True,
                              text=True, timeout=300)

    assert prefect("work-pool", "create", "qatysu-test", "--type", "process").returncode == 0
    deployed = prefect("--no-prompt", "deploy", "--all", "--prefect-file", str(prefect_yaml))
    assert deployed.returncode == 0, deployed.stdout[-3000:] + deployed.stderr[-3000:]
    listed = prefect("deployment", "ls")
    assert listed.returncode == 0, listed.stderr[-2000:]
    for name in ("collect/collect-hourly", "process/process-after-collect", "topics/topics-weekly",
                 "markers/markers-weekly", "link/link-weekly", "forecast/forecast-weekly", "report/report-weekly"):
        assert name in listed.stdout
    assert prefect("flow-run", "ls").returncode == 0 and prefect("flow", "ls").returncode == 0
    # runs completed before the worker started (the same deployment as `qatysu serve`'s, on this server)
    before = {run: state for run, state in _runs(env, "collect-hourly").items() if state == "COMPLETED"}
    with PreviewServer(demo.site) as url:
        console = tmp_path / "worker.out"
        worker = subprocess.Popen([*PREFECT, "worker", "start", "--pool", "qatysu-test"], cwd=ROOT,
                                  env={**env, "QATYSU_TELEGRAM_BASE_URL": url}, stdout=console.open("w"),
                                  stderr=subprocess.STDOUT)
        try:
            _wait("completed scheduled collect run on the worker",
                  lambda: _completed(env, "collect-hourly", before), 400)
        except AssertionError as exc:
            raise AssertionError(f"{exc}; the worker said:\n{console.read_text(encoding='utf-8')[-3000:]}")
        finally:
            worker.terminate()
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
    with wh.reader(live=True) as con:
        assert con.execute("SELECT count(*) FROM posts").fetchone()[0] == len(demo.corpus.posts)
