"""The qatysu command as a user runs it."""

import json
import re

import duckdb

from qatysu.warehouse import upsert_posts, upsert_sources
from qatysu.warehouse.indicators import read_indicator_csv, write_indicators
from qatysu.warehouse.regions import RegionResolver

from helpers import ROOT, invoke, make_posts, run_qatysu


def test_init_uses_qatysu_db_and_reports_a_second_run_as_nothing_to_do(tmp_path):
    env = {"QATYSU_DB": str(tmp_path / "env.duckdb")}
    first = run_qatysu("init", env=env)
    second = run_qatysu("init", env=env)
    assert first.returncode == 0 and "Created" in first.stdout
    assert second.returncode == 0 and "nothing to do" in second.stdout
    assert (tmp_path / "env.duckdb").exists() and (tmp_path / "env.snapshot.duckdb").exists()
    assert (tmp_path / "env.author.key").stat().st_mode & 0o077 == 0


def test_commands_before_init_say_what_to_do(tmp_path):
    result = invoke("sql", "SELECT 1", "--db", str(tmp_path / "none.duckdb"))
    assert result.returncode == 1 and "run `qatysu init" in result.stderr


def test_sql_reads_the_snapshot_and_refuses_writes(wh):
    with wh.writer() as con:
        upsert_posts(con, make_posts(3))
    out = invoke("sql", "SELECT post_uid, views FROM v_posts ORDER BY post_uid", "--db", str(wh.path), "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert rows == [{"post_uid": f"telegram:kz_news:{i}", "views": 100 + i} for i in range(3)]
    write = invoke("sql", "DELETE FROM posts", "--db", str(wh.path))
    assert write.returncode == 1 and "read-only" in write.stderr
    with wh.reader(live=True) as con:
        assert con.execute("SELECT count(*) FROM posts").fetchone()[0] == 3


def test_export_parquet_partitions_posts_by_platform_and_month(wh, tmp_path):
    march, april = make_posts(2), [dict(p, published_at=p["published_at"].replace(month=4)) for p in make_posts(3, start=10)]
    vk = [dict(p, platform="vk") for p in make_posts(1, start=50)]
    with wh.writer() as con:
        upsert_posts(con, march + april + vk)
    out = tmp_path / "export"
    result = invoke("export", "parquet", str(out), "--db", str(wh.path))
    assert result.returncode == 0, result.stderr
    parts = sorted(p.parent.relative_to(out).as_posix() for p in (out / "posts").rglob("*.parquet"))
    assert parts == ["posts/platform=telegram/month=2024-03", "posts/platform=telegram/month=2024-04",
                     "posts/platform=vk/month=2024-03"]
    con = duckdb.connect()
    assert con.execute(f"SELECT count(*) FROM read_parquet('{out}/posts/**/*.parquet', hive_partitioning=true)").fetchone()[0] == 6
    for table in ("indicator_values", "indicators", "regions", "region_crosswalk", "post_metrics", "sources", "crawl_runs"):
        assert (out / f"{table}.parquet").exists(), table
    assert con.execute(f"SELECT count(*) FROM '{out}/regions.parquet'").fetchone()[0] == 20


def test_indicators_list_shows_reference_and_loaded_indicators(wh, tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("indicator,region,period,value\nmy_index,ВКО,2024,3\n", encoding="utf-8")
    assert invoke("indicators", "load", str(f), "--db", str(wh.path)).returncode == 0
    out = invoke("indicators", "list", "--db", str(wh.path), "--format", "json")
    listed = {r["indicator_id"]: r for r in map(json.loads, out.stdout.splitlines())}
    assert listed["my_index"]["origin"] == "researcher" and listed["my_index"]["regions"] == 1
    assert listed["turnout_mazhilis_2023"]["regions"] == 20 and listed["turnout_mazhilis_2023"]["origin"] == "reference"


def test_every_example_query_in_the_docs_runs(wh, tmp_path):
    with wh.writer() as con:
        upsert_sources(con, [{"platform": "telegram", "handle": "kz_news", "title": "KZ news", "region_code": "KZ-63"}])
        upsert_posts(con, make_posts(60))
        f = tmp_path / "w.csv"
        f.write_text("indicator,region,period,value\nregistered_voters,KZ-63,2023-03-19,5\nregistered_voters,KZ-10,2023-03-19,3\n")
        write_indicators(con, read_indicator_csv(f, RegionResolver.from_warehouse(con)), origin="researcher")
    doc = (ROOT / "docs" / "warehouse.md").read_text(encoding="utf-8")
    queries = re.findall(r"```sql\n(.*?)```", doc, flags=re.S)
    assert len(queries) >= 5
    with wh.reader() as con:
        for block in queries:
            for statement in filter(str.strip, block.split(";")):
                con.execute(statement).fetchall()
        assert con.execute(doc.split("```sql\n")[3].split(";")[0]).fetchall()[0][:2] == ("telegram:kz_news", "KZ news")
