"""`qatysu sql` reaches the warehouse and nothing else, and writes results only where --out says."""

import csv
import hashlib

import openpyxl
import pyarrow.parquet as pq
import pytest

from helpers import make_posts, run_qatysu
from qatysu.warehouse import WarehouseError, upsert_posts
from qatysu.warehouse.sandbox import sandboxed_query

# (statement, words the refusal must contain): each tried against the warehouse, which must stay unchanged
FORBIDDEN = [
    ("COPY (SELECT 1) TO '{db}' (FORMAT csv)", "--out"),
    ("COPY posts TO '{tmp}/posts.csv'", "--out"),
    ("COPY (SELECT 1) TO '{db}.wal'", "--out"),
    ("EXPLAIN ANALYZE COPY (SELECT 1) TO '{db}.wal'", "--out"),
    ("SELECT * FROM read_text('{key}')", "reads files"),
    ("SELECT * FROM read_csv('/etc/passwd')", "reads files"),
    ("SELECT * FROM read_blob('{db}')", "reads files"),  # DuckDB itself allows its own file
    ("SELECT post_uid FROM posts, glob('/etc/*')", "reads files"),
    ("WITH f AS (SELECT * FROM Read_Parquet('{tmp}/*.parquet')) SELECT * FROM f", "reads files"),
    ("SELECT * FROM '/etc/passwd'", "does not exist"),
    ("ATTACH '{tmp}/other.duckdb' AS other", "--db"),
    ("DETACH qatysu", "--db"),
    ("INSTALL httpfs", "extensions"),
    ("LOAD fts", "extensions"),
    ("SET enable_external_access = true", "settings are fixed"),
    ("RESET lock_configuration", "settings are fixed"),
    ("PRAGMA database_list", "settings are fixed"),
    ("EXPORT DATABASE '{tmp}/dump'", "qatysu export parquet"),
    ("SELECT 1; SELECT post_uid FROM posts", "one statement"),
    ("SELECT 1; COPY posts TO '{tmp}/x.csv'", "one statement"),
    ("DELETE FROM posts", "read-only"),
    ("CREATE TEMP TABLE t AS SELECT 1", "read-only"),
    ("CALL pragma_version()", "SELECT * FROM"),
    ("/* hidden */ (COPY posts TO '{tmp}/y.csv')", "query failed: Parser Error"),
]


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def filled(wh):
    with wh.writer() as con:
        upsert_posts(con, make_posts(5))
    return wh


def test_every_forbidden_form_is_refused_and_nothing_changes(filled, tmp_path):
    wh = filled
    before = {p: _digest(p) for p in (wh.path, wh.snapshot_path, wh.author_key_path)}
    for template, advice in FORBIDDEN:
        statement = template.format(db=wh.path, key=wh.author_key_path, tmp=tmp_path)
        for live in (False, True):  # the snapshot, and the warehouse itself
            with pytest.raises(WarehouseError) as refused:
                with sandboxed_query(wh, statement, live=live) as cursor:
                    cursor.fetchall()
            assert advice in str(refused.value), (statement, str(refused.value))
    assert {p: _digest(p) for p in before} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in before)  # no file written


def test_the_command_prints_one_line_and_no_key(filled):
    wh = filled
    key = wh.author_key_path.read_text().strip()
    for statement in (f"SELECT * FROM read_text('{wh.author_key_path}')", f"COPY (SELECT 1) TO '{wh.path}'",
                      "SELECT 1; SELECT 2", "SELEC 1"):
        result = run_qatysu("sql", statement, "--db", str(wh.path), "--live")
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("error: ")
        assert key not in result.stdout + result.stderr


def test_documented_views_and_macros_still_work(filled):
    result = run_qatysu("sql", "SELECT count(*) AS n FROM v_posts", "--db", str(filled.path), "--format", "csv")
    assert result.returncode == 0 and result.stdout.splitlines() == ["n", "5"], result.stderr
    macro = run_qatysu("sql", "SELECT count(*) > 0 AS ok FROM indicator_on_old_map('turnout_mazhilis_2023')",
                       "--db", str(filled.path), "--format", "csv")
    assert macro.returncode == 0 and macro.stdout.splitlines() == ["ok", "True"], macro.stderr


def test_out_writes_csv_parquet_and_xlsx(filled, tmp_path):
    query = ("SELECT post_uid, views, published_at, [1, 2] AS list FROM v_posts "
             "WHERE post_uid <> 'telegram:kz_news:4' ORDER BY post_uid")
    for name in ("result.csv", "result.parquet", "result.xlsx"):
        result = run_qatysu("sql", query, "--db", str(filled.path), "--out", str(tmp_path / name))
        assert result.returncode == 0 and "Wrote 4 rows" in result.stdout, result.stderr
    with (tmp_path / "result.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["post_uid"] for r in rows] == [f"telegram:kz_news:{i}" for i in range(4)]
    assert [r["views"] for r in rows] == ["100", "101", "102", "103"] and rows[0]["list"] == "[1, 2]"
    table = pq.read_table(tmp_path / "result.parquet")
    assert table.column("views").to_pylist() == [100, 101, 102, 103]
    assert table.column("list").to_pylist()[0] == [1, 2]
    sheet = openpyxl.load_workbook(tmp_path / "result.xlsx", read_only=True)["result"]
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert cells[0] == ["post_uid", "views", "published_at", "list"]
    assert [r[1] for r in cells[1:]] == [100, 101, 102, 103]
    assert str(cells[1][2]) == "2024-03-01 09:00:00"  # UTC: Excel has no time zones
    assert not list(tmp_path.glob(".*.partial"))  # written beside their names, then renamed


def test_out_refuses_an_unknown_format_as_a_usage_error(filled, tmp_path):
    result = run_qatysu("sql", "SELECT 1", "--db", str(filled.path), "--out", str(tmp_path / "result.txt"))
    assert result.returncode == 2 and ".csv" in result.stdout + result.stderr
    assert not (tmp_path / "result.txt").exists()
