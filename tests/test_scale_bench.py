"""``bench/scale.py`` keeps working: the whole pipeline on 20,000 posts built from the shared corpus's sentences,
each step through the ``qatysu`` command in its own process, with the table and the headline a user reads."""

from __future__ import annotations

import re
import subprocess
import sys

import duckdb
import pytest
from helpers import ROOT

from qatysu.flows.config import TopicsConfig, default

STEPS = ["init", "import", "process", "topics lda", "topics bertopic", "markers", "link", "forecast", "report"]


@pytest.mark.slow
@pytest.mark.timeout(1800)  # every step of the pipeline, each in its own process: minutes on 2 busy cores
def test_scale_benchmark_runs_every_step_on_20000_posts(tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "scale.py"), "--posts", "20000", "--work",
                          str(tmp_path)], capture_output=True, text=True, timeout=1800)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    lines = out.stdout.strip().splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("step"))
    table = [re.match(r"(.{16}) +([\d.]+) +([\d.]+)  ", line) for line in lines[header + 1:-1]]
    assert all(table), lines
    assert [m.group(1).strip() for m in table] == STEPS
    seconds = [float(m.group(2)) for m in table]
    peaks = [float(m.group(3)) for m in table]
    assert all(s > 0 for s in seconds) and all(0 < p < 6 for p in peaks)
    headline = re.fullmatch(r"scale: 20000 posts end-to-end in (\d+) s, peak RSS ([\d.]+) GiB", lines[-1])
    assert headline, lines[-1]
    assert abs(int(headline.group(1)) - sum(seconds)) <= len(seconds)
    assert float(headline.group(2)) == max(peaks)

    with duckdb.connect(str(tmp_path / "scale.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT source_id) FROM posts").fetchone() == (20000, 400)
        assert con.execute("SELECT count(DISTINCT region_code) FROM posts").fetchone() == (20,)
        modelled = con.execute("SELECT method, n_docs, n_fit, assignment FROM topic_models ORDER BY method").fetchall()
        processed = con.execute("SELECT count(*) FROM post_lemmas WHERE lang IN ('ru', 'mixed')").fetchone()[0]
        sample = default(TopicsConfig, "fit_sample")
        assert [m[0] for m in modelled] == ["bertopic", "lda"]
        assert all(n_docs == processed and n_fit == min(processed, sample)
                   and (assignment == "fit") == (processed <= sample) for _, n_docs, n_fit, assignment in modelled)
        with_topic = con.execute("SELECT count(DISTINCT post_uid) FROM doc_topics WHERE is_main GROUP BY model_id")
        assert with_topic.fetchall() == [(processed,), (processed,)]
    assert (tmp_path / "report" / "report.html").stat().st_size < 20e6
