"""Two processes share one warehouse: a writer upserting while a reader queries."""

import os
import subprocess
import sys
import textwrap
import time

import pytest

from qatysu.warehouse import WarehouseBusy, upsert_posts

from helpers import ROOT, make_posts

WRITER = textwrap.dedent("""
    import sys
    from qatysu.warehouse import Warehouse, upsert_posts
    sys.path.insert(0, sys.argv[3])
    from helpers import make_posts
    wh = Warehouse.at(sys.argv[1])
    for b in range(int(sys.argv[2])):
        with wh.writer() as con:
            upsert_posts(con, make_posts(500, start=b * 500))
    print("writer done")
""")

READER = textwrap.dedent("""
    import sys, time
    from qatysu.warehouse import Warehouse
    wh = Warehouse.at(sys.argv[1])
    seen, deadline = [], time.monotonic() + float(sys.argv[2])
    while time.monotonic() < deadline:
        with wh.reader() as con:
            seen.append(con.execute("SELECT count(*) FROM v_posts").fetchone()[0])
        if seen[-1] >= int(sys.argv[3]):
            break
    print(" ".join(map(str, seen)))
""")

HOLDER = textwrap.dedent("""
    import sys, time
    from qatysu.warehouse import Warehouse
    with Warehouse.at(sys.argv[1]).writer(publish=False) as con:
        con.execute("SELECT 1")
        print("locked", flush=True)
        time.sleep(float(sys.argv[2]))
""")


def _spawn(script, *args, env=None):
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})},
    )


@pytest.mark.slow
def test_reader_queries_while_writer_upserts(wh):
    batches = 20
    writer = _spawn(WRITER, wh.path, batches, ROOT / "tests")
    reader = _spawn(READER, wh.path, 60, batches * 500)
    w_out, w_err = writer.communicate(timeout=120)
    r_out, r_err = reader.communicate(timeout=120)
    assert writer.returncode == 0, w_err
    assert reader.returncode == 0, r_err
    counts = [int(c) for c in r_out.split()]
    assert len(counts) > 1
    assert counts == sorted(counts), "the reader saw committed states only, in order"
    assert counts[-1] == batches * 500
    with wh.reader(live=True) as con:
        assert con.execute("SELECT count(*) FROM posts").fetchone()[0] == batches * 500


def test_a_writer_waits_for_the_lock_then_succeeds(wh):
    holder = _spawn(HOLDER, wh.path, 1.5)
    assert holder.stdout.readline().strip() == "locked"
    started = time.monotonic()
    with wh.writer() as con:
        con.execute("INSERT INTO warehouse_meta VALUES ('probe', 'x')")
    assert time.monotonic() - started > 0.5
    holder.communicate(timeout=30)


def test_a_lock_held_too_long_gives_a_clear_error(wh, monkeypatch):
    holder = _spawn(HOLDER, wh.path, 5)
    assert holder.stdout.readline().strip() == "locked"
    monkeypatch.setenv("QATYSU_LOCK_TIMEOUT", "0.5")
    try:
        with pytest.raises(WarehouseBusy, match="locked by another process.*QATYSU_LOCK_TIMEOUT"):
            with wh.writer():
                pass
        # the snapshot stays readable while the lock is held
        with wh.reader() as con:
            assert con.execute("SELECT count(*) FROM regions").fetchone()[0] == 20
    finally:
        holder.kill()
        holder.communicate()


SESSION = textwrap.dedent("""
    import sys, time
    from qatysu.warehouse import Warehouse
    with Warehouse.at(sys.argv[1]).write_session(hold_s=float(sys.argv[2])) as session:
        session.connection()
        print("locked", flush=True)
        deadline = time.monotonic() + float(sys.argv[3])
        while time.monotonic() < deadline:  # a long step: batch after batch on the session's connection
            session.connection().execute("SELECT 1")
            time.sleep(0.05)
    print("session done", flush=True)
""")


def test_a_long_write_session_lets_a_waiting_writer_in(wh):
    """Processing keeps one connection across its batches but hands the lock back at intervals: a crawl
    waiting to store its pages gets in long before the step ends."""
    session = _spawn(SESSION, wh.path, 0.5, 10)
    assert session.stdout.readline().strip() == "locked"
    started = time.monotonic()
    writer = _spawn(WRITER, wh.path, 1, ROOT / "tests", env={"QATYSU_LOCK_TIMEOUT": "8"})
    out, err = writer.communicate(timeout=60)
    waited = time.monotonic() - started
    assert writer.returncode == 0, err[-2000:]
    assert "writer done" in out
    assert waited < 8 and session.poll() is None  # in while the session still runs
    session.communicate(timeout=60)
    assert session.returncode == 0


def test_a_session_checkpoints_while_its_caller_works(wh):
    """Processing folds the write-ahead log into the warehouse file in the background while it trains the
    phrase models; afterwards the log is empty and the posts are in the file and the snapshot."""
    wal = wh.path.with_name(wh.path.name + ".wal")
    with wh.write_session(threads=1) as session:
        upsert_posts(session.connection(), make_posts(3000))
        assert wal.exists() and wal.stat().st_size > 0
        with session.checkpointing():
            squares = sum(i * i for i in range(300_000))  # the caller's own work meanwhile
        assert squares > 0
        assert not wal.exists() or wal.stat().st_size == 0
        assert session.connection().execute("SELECT current_setting('threads')").fetchone()[0] == 1
    with wh.reader() as con:
        assert con.execute("SELECT count(*) FROM posts").fetchone()[0] == 3000
