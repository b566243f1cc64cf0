"""Runs tell the truth: each step records its run with its owner; a run whose process is gone reads abandoned;
the counts a command prints are the counts it stored."""

import json
import os
import signal
import subprocess
import sys
import time

from helpers import run_qatysu
from test_crawl_telegram import FAST, channel_posts

from qatysu.synthetic.preview_server import Channel, Fault, PreviewServer, PreviewSite
from qatysu.warehouse.crawls import start_run
from qatysu.warehouse.runs import mark_abandoned, process_start, start_analysis_run


def test_a_killed_process_run_reads_abandoned_and_runs_lists_it(wh, tmp_path):
    csv_file = tmp_path / "posts.csv"
    csv_file.write_text("platform,source,post_id,published_at,text\n" + "".join(
        f"telegram,kz_news,{i},2024-03-0{1 + i % 9}T10:00:00+00:00,Пост {i} о выборах акима\n" for i in range(60)),
        encoding="utf-8")
    assert run_qatysu("import", "csv", str(csv_file), "--db", str(wh.path)).returncode == 0
    proc = subprocess.Popen([sys.executable, "-m", "qatysu", "process", "--workers", "1", "--db", str(wh.path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # until its run is recorded (the warehouse file changes)
        with wh.reader(live=True) as con:
            if con.execute("SELECT count(*) FROM analysis_runs WHERE step = 'process'").fetchone()[0]:
                break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    running = run_qatysu("runs", "--running", "--db", str(wh.path))
    assert running.returncode == 0 and "No run in progress" in running.stdout, running.stdout
    assert "marked abandoned" in running.stderr
    listed = run_qatysu("runs", "--db", str(wh.path), "--format", "json")
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["step"], r["status"]) for r in rows] == [("process", "abandoned"), ("import", "finished")]
    assert rows[0]["owner_pid"] == proc.pid and rows[1]["owner_pid"] != proc.pid
    again = run_qatysu("process", "--workers", "1", "--db", str(wh.path))
    assert again.returncode == 0, again.stderr
    with wh.reader() as con:
        runs = con.execute("SELECT step, status FROM v_runs ORDER BY started_at").fetchall()
    assert runs == [("import", "finished"), ("process", "abandoned"), ("process", "completed")]


def test_a_run_of_a_live_process_stays_running_and_a_gone_or_reused_one_does_not(wh):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        with wh.writer() as con:
            mine = start_analysis_run(con, "markers", {}, {})
            theirs = start_run(con, "telegram", {})
            con.execute("UPDATE crawl_runs SET owner_pid = ?, owner_started = ? WHERE run_id = ?",
                        [sleeper.pid, process_start(sleeper.pid), theirs])
            assert mark_abandoned(con) == 0  # both owners are alive
            sleeper.kill()
            sleeper.wait()
            assert mark_abandoned(con) == 1  # the sleeper's run
            # this process's id, but a start time an hour earlier: the id was reused, the owner is gone
            con.execute("UPDATE analysis_runs SET owner_started = owner_started - INTERVAL 1 HOUR WHERE run_id = ?",
                        [mine])
            assert mark_abandoned(con) == 1
            statuses = con.execute("SELECT status FROM v_runs").fetchall()
    finally:
        sleeper.kill()
    assert statuses == [("abandoned",), ("abandoned",)]


def test_crawl_prints_the_counts_it_stores(wh):
    site = PreviewSite({"sailau_news": Channel("sailau_news", channel_posts(45), subscribers=10),
                        "broken_chan": Channel("broken_chan", channel_posts(5))})
    site.schedule("/s/broken_chan", [Fault(status=500)] * 10)
    with PreviewServer(site) as url:
        result = run_qatysu("crawl", "telegram", "sailau_news", "broken_chan", "--db", str(wh.path), *FAST,
                            "--set", "RETRY_TIMES=1", env={"QATYSU_TELEGRAM_BASE_URL": url})
    with wh.reader() as con:
        pages, new, updated, skipped, errors, status = con.execute(
            "SELECT pages, posts_new, posts_updated, skipped, errors, status FROM crawl_runs").fetchone()
    assert result.returncode == 1 and errors >= 1 and new == 45 and status == "finished"
    assert (f"telegram: {pages} pages, {new} new posts, {updated} updated, {skipped} unreadable messages skipped, "
            f"{errors} errors") in result.stdout
