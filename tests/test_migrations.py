import duckdb
import pytest

from qatysu.warehouse import Warehouse, WarehouseError, init_warehouse, upsert_posts
from qatysu.warehouse.migrate import available_migrations
from qatysu.warehouse.schema import schema_markdown

from helpers import ROOT, make_posts

CORE_TABLES = {
    "sources", "posts", "post_metrics", "crawl_runs", "regions", "region_aliases",
    "region_crosswalk", "indicators", "indicator_values", "schema_version", "warehouse_meta",
}
VIEWS = {"v_posts", "v_sources", "v_indicator_values", "v_indicator_values_current_map"}


def _objects(con):
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    return tables, views


def test_init_creates_every_table_view_and_comment(wh):
    with wh.reader(live=True) as con:
        tables, views = _objects(con)
        assert CORE_TABLES <= tables
        assert VIEWS <= views
        uncommented_objects = con.execute(
            """SELECT table_name FROM duckdb_tables() WHERE comment IS NULL
               UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal AND comment IS NULL"""
        ).fetchall()
        uncommented_columns = con.execute(
            "SELECT table_name || '.' || column_name FROM duckdb_columns() WHERE NOT internal AND comment IS NULL"
        ).fetchall()
    assert uncommented_objects == []
    assert uncommented_columns == []


def test_second_init_is_a_no_op(wh):
    with wh.reader(live=True) as con:
        before = con.execute("SELECT version, applied_at FROM schema_version ORDER BY 1").fetchall()
        loaded = con.execute("SELECT min(loaded_at) FROM indicators").fetchone()
    result = init_warehouse(wh)
    assert not result.changed
    with wh.reader(live=True) as con:
        assert con.execute("SELECT version, applied_at FROM schema_version ORDER BY 1").fetchall() == before
        assert con.execute("SELECT min(loaded_at) FROM indicators").fetchone() == loaded


def test_older_warehouse_is_upgraded_and_keeps_its_data(tmp_path):
    old = Warehouse.at(tmp_path / "old.duckdb")
    init_warehouse(old, upto=1)
    with old.writer() as con:
        upsert_posts(con, make_posts(3))
        tables, views = _objects(con)
        assert "v_posts" not in views
        assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 1

    result = init_warehouse(old)

    assert [m.version for m in result.migrations] == list(range(2, len(available_migrations()) + 1))
    with old.reader() as con:
        assert con.execute("SELECT count(*) FROM v_posts").fetchone()[0] == 3
        assert con.execute("SELECT count(*) FROM regions").fetchone()[0] == 20


def test_an_edited_migration_is_refused(wh):
    with wh.writer() as con:
        con.execute("UPDATE schema_version SET checksum = 'edited' WHERE version = 1")
    with pytest.raises(WarehouseError, match="must never be edited"):
        init_warehouse(wh)


def test_a_newer_warehouse_is_refused(wh):
    with wh.writer() as con:
        con.execute("INSERT INTO schema_version VALUES (999, 'future', 'x', now())")
    with pytest.raises(WarehouseError, match="newer than this Qatysu"):
        init_warehouse(wh)


def test_docs_show_the_current_schema(wh):
    with wh.reader() as con:
        expected = schema_markdown(con)
    doc = (ROOT / "docs" / "warehouse.md").read_text(encoding="utf-8")
    begin, end = "<!-- schema:begin -->\n", "<!-- schema:end -->"
    embedded = doc[doc.index(begin) + len(begin): doc.index(end)]
    assert embedded == expected, "docs/warehouse.md is stale: regenerate with `qatysu schema`"


def test_migrations_run_on_a_plain_duckdb_file(tmp_path):
    """Migrations are plain SQL: each applies to an empty DuckDB database in order."""
    con = duckdb.connect(str(tmp_path / "plain.duckdb"))
    for m in available_migrations():
        con.execute(m.sql)
    assert con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'v_posts'").fetchone()[0] == 1


def test_stored_link_directions_are_migrated_to_the_sign_of_an_association(tmp_path):
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    migrations = available_migrations()
    version = next(m.version for m in migrations if m.name == "marker_effects_windows")
    for m in migrations[:version - 1]:
        con.execute(m.sql)
    con.execute("INSERT INTO region_theme_rates VALUES ('r1', 'category:housing', 'post-2022-06', 'KZ-75', 40, 0.2)")
    con.executemany("INSERT INTO theme_links VALUES ('r1', ?, 'turnout_mazhilis_2023', 'post-2022-06', 20, ?, "
                    "-0.9, 0.9, 0.01, 0.05, ?)",
                    [["category:housing", 0.7, "raises"], ["category:ecology", -0.7, "lowers"],
                     ["category:sport", 0.1, "no evidence"]])
    con.execute(migrations[version - 1].sql)
    assert dict(con.execute("SELECT theme, direction FROM theme_links").fetchall()) == {
        "category:housing": "positive", "category:ecology": "negative", "category:sport": "no evidence"}
    assert con.execute("SELECT window_start, window_end, posts FROM region_theme_rates").fetchall() == [(None, None, 40)]
