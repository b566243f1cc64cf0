"""The whole pipeline as Prefect flows on a small demo served on 127.0.0.1, its reports, and the report
rendered in headless Chromium."""

import os
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from helpers import ROOT, SHARED, run_qatysu

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """``pipeline`` end to end under Prefect's test harness: a 1,500-post demo crawled from 127.0.0.1."""
    tmp = tmp_path_factory.mktemp("pipeline")
    from qatysu.flows.prefect_env import configure

    configure(tmp / "data")
    from prefect.testing.utilities import prefect_test_harness

    from qatysu.synthetic.preview_server import PreviewServer
    from qatysu.flows.config import CollectConfig, PipelineConfig, TopicsConfig
    from qatysu.synthetic.demo import build_demo
    from qatysu.flows.pipeline import pipeline
    from qatysu.warehouse import Warehouse, init_warehouse

    wh = Warehouse.at(tmp / "demo.duckdb")
    init_warehouse(wh)
    demo = build_demo(wh, posts=1500, sources=15)
    config = PipelineConfig(
        db=wh.path, out=tmp / "report",
        collect=CollectConfig(settings={"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False"}),
        topics=TopicsConfig(methods=["lda"], langs=["ru", "kk"], k_grid=[5, 7]),
    )
    with prefect_test_harness(), PreviewServer(demo.site) as url:
        os.environ["QATYSU_TELEGRAM_BASE_URL"] = url
        try:
            state = pipeline(config, return_state=True)
        finally:
            del os.environ["QATYSU_TELEGRAM_BASE_URL"]
    return wh, demo, config, state


@pytest.mark.slow
def test_pipeline_collects_processes_models_scores_links_and_reports(demo_run):
    wh, demo, config, state = demo_run
    assert state.is_completed(), state.message
    with wh.reader() as con:
        def one(sql):
            return con.execute(sql).fetchone()[0]

        assert one("SELECT count(*) FROM posts") == len(demo.corpus.posts)
        assert one("SELECT count(*) FROM post_lemmas") == len(demo.corpus.posts)
        assert one("SELECT count(*) FROM sources WHERE region_code IS NOT NULL") == 15
        assert one("SELECT count(DISTINCT lang) FROM topic_models") == 2
        assert one("SELECT count(*) FROM marker_scores WHERE scope = 'all' AND unit = 'category'") > 5
        # the demo's posts are dated before five votes: each vote is linked to the posts of its window (or not
        # tested, with the reason, when too few regions have enough posts), and a vote without posts before it
        # (2019) to none
        assert one("""SELECT count(*) FROM theme_links WHERE indicator = 'turnout_mazhilis_2023'
                      AND window_end = DATE '2023-03-19' AND (rho IS NOT NULL OR note LIKE 'window%')""") > 0
        assert one("SELECT count(*) FROM theme_links WHERE indicator = 'turnout_pres_2019' AND rho IS NOT NULL") == 0
        steps = dict(con.execute("SELECT step, status FROM analysis_runs").fetchall())
        assert steps == {s: "completed" for s in ("pipeline", "collect", "process", "topics", "markers", "link",
                                                   "forecast", "report")}
        # forecasts of the next vote of each kind for the 20 regions and the country, by the chosen model
        assert con.execute("SELECT kind, count(*) FROM forecasts WHERE role = 'chosen' GROUP BY 1 ORDER BY 1"
                           ).fetchall() == [("parliamentary", 21), ("presidential", 21), ("referendum", 21)]
        assert one("SELECT count(*) FROM forecasts WHERE lo95 <= lo80 AND lo80 <= point AND point <= hi80 "
                   "AND hi80 <= hi95") == one("SELECT count(*) FROM forecasts")
        assert one("SELECT count(DISTINCT scenario) FROM scenario_results WHERE region_code = 'KZ'") >= 5
        assert one("SELECT count(*) FROM v_region_panel WHERE posts > 0") > 0
        assert one("SELECT versions->>'qatysu' FROM analysis_runs WHERE step = 'pipeline'")
        assert one("SELECT inputs IS NOT NULL AND outputs IS NOT NULL FROM analysis_runs WHERE step = 'process'")
    out = config.out
    assert {p.name for p in out.iterdir()} >= {"report.html", "report.xlsx", "report.md", "csv"}
    book = openpyxl.load_workbook(out / "report.xlsx")
    assert {"posts_by_region", "posts_by_source", "topics", "markers", "theme_links", "runs", "forecasts",
            "forecast_backtest", "scenario_results"} <= set(book.sheetnames)
    markers = book["markers"]
    assert markers.freeze_panes == "A2" and markers.auto_filter.ref.startswith("A1:")
    header = [c.value for c in markers[1]]
    assert header[:3] == ["scope", "unit", "term"] and header[-1] == "label"
    z = header.index("z") + 1
    assert markers.cell(2, z).number_format == "0.000" and markers.column_dimensions["C"].width > 8
    topic_rows = [r for r in markers.iter_rows(min_row=2, values_only=True) if r[1] == "topic"]
    assert topic_rows and all(r[-1].startswith("topic ") and " · " in r[-1] for r in topic_rows)  # labels, not ids
    assert (out / "csv" / "theme_links.csv").read_text(encoding="utf-8").startswith("theme,indicator,")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Synthetic corpus" in html and "«голосовать»" in html and "not causation" in html
    assert '<h2 id="scenarios">Scenarios</h2>' in html and "the panel of the Scenarios section should find it" in html
    assert "<script src=" not in html and "<link " not in html  # offline: plotly.js is embedded, nothing fetched
    assert "not causation" in (out / "report.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_report_command_draws_a_choropleth_from_boundaries(demo_run, tmp_path):
    wh, *_ = demo_run
    result = run_qatysu("report", "--db", str(wh.path), "--out", str(tmp_path), "--format", "html,md",
                        "--boundaries", str(SHARED / "geo" / "kz_adm1_2024.geojson"))
    assert result.returncode == 0, result.stderr[-2000:]
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Posts by region (boundaries)" in html and '"name":"KZ-75"' in html
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.md"]
    bad = run_qatysu("report", "--db", str(wh.path), "--out", str(tmp_path), "--model", "lda-xx-nothing")
    assert bad.returncode == 1 and "no topic model" in bad.stderr


def _chromium() -> tuple[str, str] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@pytest.mark.slow
def test_html_report_renders_in_headless_chromium_without_console_errors(demo_run, tmp_path):
    found = _chromium()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian's chromium and chromium-driver (scripts/setup.sh installs them)")
        pytest.skip("chromium and chromedriver are not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    wh, *_ = demo_run
    with wh.reader() as con:
        model = con.execute("SELECT model_id FROM topic_models WHERE lang = 'ru'").fetchone()[0]
    effects = run_qatysu("topics", "effects", model, "--covariates", "region,month", "--draws", "5",
                         "--db", str(wh.path))
    assert effects.returncode == 0, effects.stderr[-2000:]
    assert run_qatysu("report", "--db", str(wh.path), "--out", str(tmp_path), "--format", "html",
                      "--boundaries", str(SHARED / "geo" / "kz_adm1_2024.geojson")).returncode == 0
    options = webdriver.ChromeOptions()
    options.binary_location = found[0]
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,4000"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(found[1]), options=options)
    try:
        driver.get((tmp_path / "report.html").as_uri())
        charts = driver.execute_script("return document.querySelectorAll('.js-plotly-plot').length")
        drawn = driver.execute_script("return document.querySelectorAll('.js-plotly-plot .main-svg').length")
        maps = driver.execute_script(
            "return Array.from(document.querySelectorAll('.js-plotly-plot'))"
            ".filter(p => p.querySelector('.gtitle') && p.querySelector('.gtitle').textContent.includes('boundaries'))"
            "[0].querySelectorAll('.scatterlayer .trace path.js-fill').length")
        tiles = driver.execute_script(
            "return Array.from(document.querySelectorAll('.js-plotly-plot .gtitle'))"
            ".filter(t => t.textContent.includes('tile map')).length")
        fans = driver.execute_script(
            "return Array.from(document.querySelectorAll('.js-plotly-plot'))"
            ".filter(p => p.querySelector('.gtitle') && p.querySelector('.gtitle').textContent.includes('next '))"
            ".map(p => p.querySelectorAll('.scatterlayer .trace').length)")
        chart_text = driver.execute_script(
            "return Array.from(document.querySelectorAll('.js-plotly-plot text')).map(t => t.textContent)")
        contents = driver.execute_script(
            "return Array.from(document.querySelectorAll('nav.toc a')).map(a => a.textContent)")
        attribution = driver.execute_script("return document.querySelector('p.attribution').textContent")
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        shot = tmp_path / "report.png"
        driver.save_screenshot(str(shot))
        effects_shot = tmp_path / "topic-effects.png"
        driver.find_element("id", "topic-effects").location_once_scrolled_into_view  # noqa: B018 — scrolls
        driver.save_screenshot(str(effects_shot))
    finally:
        driver.quit()
    assert charts >= 10 and drawn >= charts  # every chart drew its SVG
    assert maps == 20 and tiles == 1  # the choropleth filled each region; the tile map is there
    # Scenarios: per kind a fan chart for the country (history, two bands, the forecast) and one of 20 regions
    assert len(fans) == 6 and sorted(fans)[:3] == [4, 4, 4] and sorted(fans)[3:] == [80, 80, 80]
    assert errors == []
    assert shot.stat().st_size > 50_000 and effects_shot.stat().st_size > 50_000
    assert {"Corpus", "Posts per source", "Map", "Topics", "Topic effects", "Marker words",
            "Themes and regional participation", "Scenarios"} <= set(contents)
    assert "CC BY 4.0" in attribution
    # topics are named by their labels in the charts (the topic-effects chart the second screenshot shows, the
    # marker chart of topics), never by a bare "<model>:<id>"
    assert not [t for t in chart_text if re.fullmatch(r"(topic:)?(lda|bertopic)-\S+:-?\d+", t.strip())]
    assert sum(" · " in t for t in chart_text) >= 5
    assert "WestKazakhstan" in chart_text  # "West<br>Kazakhstan": a tile's name on two lines, not cut
    artifacts = os.environ.get("QATYSU_TEST_ARTIFACTS")
    if artifacts:
        shutil.copy(shot, Path(artifacts) / "report.png")
        shutil.copy(effects_shot, Path(artifacts) / "report-topic-effects.png")


def test_the_forecast_deployment_reads_posts_in_the_links_window():
    from qatysu.flows.prefect_env import configure

    configure(Path(os.environ.get("TMPDIR", "/tmp")) / "qatysu-test-prefect")
    from qatysu.flows.config import LinkConfig, PipelineConfig
    from qatysu.flows.deployments import parameters

    # the forecast panel reads posts in the links' window before each vote
    config = PipelineConfig(link=LinkConfig(window_days=90))
    assert parameters("forecast-weekly", config)["window_days"] == 90


def test_run_refuses_a_bad_config_and_serve_needs_a_server(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("markers:\n  scopes: [oblast:7]\n", encoding="utf-8")
    result = run_qatysu("run", "--config", str(bad), "--db", str(tmp_path / "x.duckdb"))
    assert result.returncode == 2 and "unknown scope" in result.stderr
    served = run_qatysu("serve", "--db", str(tmp_path / "x.duckdb"), env={"PREFECT_API_URL": ""})
    assert served.returncode == 1 and "prefect server start" in served.stderr
