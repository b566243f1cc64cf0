"""Processing on a real Dask cluster (a ``distributed.LocalCluster`` of two worker processes) through
`qatysu process --dask` stores exactly what a local run stores."""

import shutil

import pytest

from qatysu.warehouse import Warehouse, upsert_posts

from helpers import run_qatysu, shared_posts
from test_process import KAZAKH

pytestmark = pytest.mark.timeout(900)

TABLES = {
    "post_lemmas": "SELECT * EXCLUDE (processed_at) FROM post_lemmas ORDER BY post_uid",
    "post_regions": "SELECT * FROM post_regions ORDER BY ALL",
    "post_phrases": "SELECT * FROM post_phrases ORDER BY post_uid",
}


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    # worker processes, one thread each (the analysis is pure Python), as `dask worker --nthreads 1` starts them
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as local:
        yield local


def _rows(wh: Warehouse) -> dict[str, list]:
    with wh.reader() as con:
        return {name: con.execute(sql).fetchall() for name, sql in TABLES.items()}


@pytest.mark.slow
def test_processing_on_a_dask_cluster_stores_what_a_local_run_stores(wh, tmp_path, cluster):
    posts = shared_posts(400) + [
        {"platform": "telegram", "source": "kz_akimat", "post_id": i, "published_at": "2024-05-01T10:00:00+05:00",
         "text": t} for i, t in enumerate(KAZAKH)]
    with wh.writer() as con:
        upsert_posts(con, posts)
    on_dask = Warehouse.at(tmp_path / "dask" / wh.path.name)
    on_dask.path.parent.mkdir()
    shutil.copy(wh.path, on_dask.path)

    local = run_qatysu("process", "--db", str(wh.path), "--batch-size", "60", "--workers", "2")
    assert local.returncode == 0, local.stderr[-2000:]
    remote = run_qatysu("process", "--db", str(on_dask.path), "--batch-size", "60", "--dask",
                        cluster.scheduler_address, timeout=600)
    assert remote.returncode == 0, remote.stderr[-3000:]
    assert "Processed 405 posts" in remote.stdout

    expected, got = _rows(wh), _rows(on_dask)
    assert len(expected["post_lemmas"]) == 405 and len(expected["post_regions"]) > 0
    assert len(expected["post_phrases"]) > 50  # the Russian phrase model is trained and joins phrases
    for table in TABLES:
        assert got[table] == expected[table], table
    # the batches were analysed on both of the cluster's workers, not in the writer
    assert all(n > 0 for n in _tasks_run(cluster).values()), _tasks_run(cluster)


def _tasks_run(cluster) -> dict[str, int]:
    from distributed import Client

    with Client(cluster) as client:
        return client.run(lambda dask_worker: dask_worker.state.executed_count)


def test_an_unreachable_cluster_is_one_clear_line(wh):
    result = run_qatysu("process", "--db", str(wh.path), "--dask", "tcp://127.0.0.1:9",
                        env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "127.0.0.1:9" in result.stderr
