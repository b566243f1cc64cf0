"""Steps resume: a run stopped anywhere is completed by the next one, which leaves what an uninterrupted run would.
The kill drill (bench/drill.py) checks the same with real SIGKILLs, in the slow test below."""

import os
import subprocess
import sys

import pytest

from helpers import ROOT, SHARED, shared_posts
from qatysu.flows.config import ProcessConfig, TopicsConfig
from qatysu.flows.process import process_step
from qatysu.flows.topics import clean_model_dirs, fit_topics, models_dir
from qatysu.nlp.phrases import PhraseModel
from qatysu.warehouse import upsert_posts
from qatysu.warehouse.topic_store import CorpusFilter


ONE_WORKER = ProcessConfig(workers=1)


def _phrases(wh):
    with wh.reader(live=True) as con:
        return sorted(con.execute("SELECT post_uid, lang, phrases::VARCHAR FROM post_phrases").fetchall())


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    from qatysu.warehouse import Warehouse, init_warehouse

    wh = Warehouse.at(tmp_path_factory.mktemp("resume") / "qatysu.duckdb")
    init_warehouse(wh)
    with wh.writer() as con:
        upsert_posts(con, shared_posts(600))
    process_step(wh, ONE_WORKER)
    return wh


def test_phrases_lost_after_the_last_batch_are_rebuilt_by_the_next_run(processed):
    wh = processed
    clean = _phrases(wh)
    assert clean, "600 real posts give phrases"
    with wh.writer() as con:  # as a run killed after storing its last batch leaves it
        con.execute("DELETE FROM post_phrases")
        con.execute("DELETE FROM warehouse_meta WHERE key LIKE 'phrases built from:%'")
    summary = process_step(wh, ONE_WORKER)
    assert summary.processed == 0 and summary.phrases
    assert _phrases(wh) == clean
    PhraseModel.remove(PhraseModel.path_in(wh.data_dir, "ru"))  # a missing model is rebuilt too
    assert process_step(wh, ONE_WORKER).phrases and PhraseModel.exists(PhraseModel.path_in(wh.data_dir, "ru"))
    assert _phrases(wh) == clean
    assert process_step(wh, ONE_WORKER).phrases == {}  # and then there is nothing to do
    with wh.reader(live=True) as con:
        statuses = [s for (s,) in con.execute("SELECT status FROM analysis_runs WHERE step = 'process' "
                                              "ORDER BY started_at").fetchall()]
    assert statuses == ["completed", "completed", "completed", "nothing to do"]


def test_model_folders_left_by_killed_fits_are_published_or_removed(processed):
    wh = processed
    fitted = fit_topics(wh, TopicsConfig(k=4), method="lda", corpus=CorpusFilter("ru"))
    folder = models_dir(wh)
    assert sorted(p.name for p in folder.iterdir()) == [fitted.model_id]
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    # killed between the registry's commit and the rename: the folder is published under its name
    fitted.path.rename(folder / f".partial-{dead}-{fitted.model_id}")
    # killed before the commit: an orphan; and a fit in progress in this (live) process, left alone
    (folder / f".partial-{dead}-lda-ru-never-registered").mkdir()
    (folder / "lda-ru-unregistered").mkdir()
    in_progress = folder / f".partial-{os.getpid()}-lda-ru-in-progress"
    in_progress.mkdir()
    done = clean_model_dirs(wh)
    assert len(done) == 3
    assert sorted(p.name for p in folder.iterdir()) == sorted([fitted.model_id, in_progress.name])
    assert (folder / fitted.model_id / "model.json").is_file()


@pytest.mark.slow
def test_kill_drill_loses_duplicates_and_leaves_nothing_stale_or_running(tmp_path):
    if not (SHARED / "corpora" / "ru_telegram_posts").is_dir():
        pytest.skip("the shared corpus is not beside the checkout")
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "drill.py"), "--trials", "4", "--posts", "400",
                             "--import-posts", "6000", "--seed", "11"], capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    last = result.stdout.strip().splitlines()[-1]
    assert last == ("drill: 4 kills over import, process, topics fit and crawl: 0 lost, 0 duplicated, 0 stale, "
                    "0 left running"), result.stdout
