"""Schedules in the pipeline YAML: defaults, validation, the deployments `qatysu serve` serves, and prefect.yaml
written from the same source."""

import pytest
import yaml

from helpers import ROOT, run_qatysu

DEPLOYMENTS = ["collect-hourly", "process-after-collect", "topics-weekly", "markers-weekly", "link-weekly",
               "forecast-weekly", "report-weekly"]


def _config(tmp_path, text: str):
    path = tmp_path / "pipeline.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_committed_prefect_yaml_is_the_one_written_from_the_default_config():
    result = run_qatysu("prefect-yaml")
    assert result.returncode == 0, result.stderr[-2000:]
    assert (ROOT / "prefect.yaml").read_text(encoding="utf-8") == result.stdout, \
        "prefect.yaml is stale: regenerate it with `qatysu prefect-yaml -o prefect.yaml`"
    spec = yaml.safe_load(result.stdout)
    by_name = {d["name"]: d for d in spec["deployments"]}
    assert list(by_name) == DEPLOYMENTS
    assert by_name["collect-hourly"]["schedules"] == [{"cron": "0 * * * *"}]
    assert by_name["topics-weekly"]["schedules"] == [{"cron": "0 2 * * 1"}]
    assert by_name["report-weekly"]["schedules"] == [{"cron": "0 6 * * 1"}]
    # process has no clock of its own: every completed collect run starts it
    assert "schedules" not in by_name["process-after-collect"]
    assert by_name["collect-hourly"]["parameters"]["then"] == ["process/process-after-collect"]
    assert {d["work_pool"]["name"] for d in spec["deployments"]} == {"qatysu"}


def test_schedules_and_work_pool_from_the_pipeline_yaml(tmp_path):
    config = _config(tmp_path, """
db: /data/q.duckdb
work_pool: lab-pool
dask: {address: "tcp://10.1.2.3:8786"}
schedules:
  collect: {interval: 900}
  process: {cron: "30 3 * * *"}
  report: {after: collect}
""")
    result = run_qatysu("prefect-yaml", "--config", str(config))
    assert result.returncode == 0, result.stderr[-2000:]
    by_name = {d["name"]: d for d in yaml.safe_load(result.stdout)["deployments"]}
    assert by_name["collect-hourly"]["schedules"] == [{"interval": 900.0}]
    assert by_name["collect-hourly"]["parameters"]["then"] == ["report/report-weekly"]
    assert by_name["process-after-collect"]["schedules"] == [{"cron": "30 3 * * *"}]
    assert by_name["process-after-collect"]["parameters"]["dask_address"] == "tcp://10.1.2.3:8786"
    assert "schedules" not in by_name["report-weekly"]
    assert by_name["markers-weekly"]["schedules"] == [{"cron": "0 4 * * 1"}]  # untouched: the default
    assert {d["work_pool"]["name"] for d in by_name.values()} == {"lab-pool"}


@pytest.mark.parametrize("schedules, message", [
    ("collect: {cron: '61 * * * *'}", "Bad minute"),
    ("collect: {after: collect}", "collect needs a cron or an interval"),
    ("topics: {cron: '0 2 * * 1', interval: 60}", "a schedule is one of"),
    ("link: {interval: 0}", "greater than 0"),
    ("markers: {every: 5}", "every"),
])
def test_a_bad_schedule_is_one_clear_line(tmp_path, schedules, message):
    config = _config(tmp_path, f"schedules:\n  {schedules}\n")
    result = run_qatysu("prefect-yaml", "--config", str(config))
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_serve_builds_the_deployments_with_the_configured_schedules(tmp_path):
    from qatysu.flows.config import PipelineConfig
    from qatysu.flows.deployments import deployments

    config = PipelineConfig.model_validate({"db": str(tmp_path / "q.duckdb"),
                                            "schedules": {"collect": {"interval": 5}}})
    built = {d.name: d for d in deployments(config)}
    assert list(built) == DEPLOYMENTS
    assert built["collect-hourly"].schedules[0].schedule.interval.total_seconds() == 5
    assert built["topics-weekly"].schedules[0].schedule.cron == "0 2 * * 1"
    assert not built["process-after-collect"].schedules and not built["process-after-collect"].triggers
    assert built["collect-hourly"].parameters["then"] == ["process/process-after-collect"]
