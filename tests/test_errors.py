"""Ordinary mistakes get one clear line and exit code 1, never a traceback (unless --verbose asks for it);
a damaged or missing snapshot is rebuilt from the warehouse."""

import pytest

from helpers import make_posts, run_qatysu
from qatysu.warehouse import upsert_posts


def _one_line_error(result, *words):
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])


@pytest.fixture
def not_a_folder(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder\n")
    return blocker


def test_db_that_is_a_folder_a_stranger_file_or_under_a_file(tmp_path, not_a_folder):
    folder = tmp_path / "warehouse_dir"
    folder.mkdir()
    for command in (["sql", "SELECT 1"], ["init"], ["process"], ["sources", "list"]):
        _one_line_error(run_qatysu(*command, "--db", str(folder)), str(folder), "is a folder")
    stranger = tmp_path / "notes.duckdb"
    stranger.write_text("these are my notes, not a database\n")
    for command in (["sql", "SELECT 1", "--live"], ["init"], ["process"]):
        _one_line_error(run_qatysu(*command, "--db", str(stranger)), str(stranger), "cannot be opened")
    _one_line_error(run_qatysu("init", "--db", str(not_a_folder / "qatysu.duckdb")), str(not_a_folder),
                    "not a folder")
    assert not_a_folder.read_text() == "not a folder\n"


def test_crawl_into_a_missing_folder_names_the_warehouse_not_the_key(tmp_path):
    result = run_qatysu("crawl", "telegram", "some_channel", "--db", str(tmp_path / "nowhere" / "q.duckdb"))
    _one_line_error(result, "No warehouse at", "qatysu init")
    assert "author key" not in result.stderr


def test_a_setting_that_is_not_a_number(wh):
    _one_line_error(run_qatysu("crawl", "telegram", "some_channel", "--db", str(wh.path),
                               "--set", "DOWNLOAD_DELAY=abc"), "--set DOWNLOAD_DELAY=abc", "a number")
    _one_line_error(run_qatysu("crawl", "telegram", "some_channel", "--db", str(wh.path),
                               "--set", "AUTOTHROTTLE_ENABLED=maybe"), "true or false")


def test_unwritable_report_and_export_folders(wh, not_a_folder):
    with wh.writer() as con:
        upsert_posts(con, make_posts(3))
    _one_line_error(run_qatysu("report", "--out", str(not_a_folder / "reports"), "--db", str(wh.path)),
                    str(not_a_folder), "not a folder")
    _one_line_error(run_qatysu("export", "parquet", str(not_a_folder / "export"), "--db", str(wh.path)),
                    str(not_a_folder), "not a folder")
    with wh.reader(live=True) as con:
        statuses = dict(con.execute("SELECT step, status FROM analysis_runs").fetchall())
    assert statuses["report"].startswith("failed: NotADirectoryError") and statuses["export"].startswith("failed")


def test_nlp_analyze_on_a_binary_file(tmp_path):
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(bytes(range(256)) * 4)
    _one_line_error(run_qatysu("nlp", "analyze", "--file", str(binary)), str(binary), "not UTF-8 text")


def test_verbose_shows_the_traceback(tmp_path):
    folder = tmp_path / "warehouse_dir"
    folder.mkdir()
    result = run_qatysu("--verbose", "sql", "SELECT 1", "--db", str(folder))
    assert result.returncode == 1 and "Traceback" in result.stderr and "is a folder" in result.stderr


def test_a_usage_mistake_keeps_exit_code_2(wh):
    assert run_qatysu("sql", "--db", str(wh.path)).returncode == 2


@pytest.mark.parametrize("damage", ["garbage", "truncated", "missing", "empty"])
def test_a_damaged_or_missing_snapshot_is_rebuilt_on_the_next_read(wh, damage):
    with wh.writer() as con:
        upsert_posts(con, make_posts(4))
    snapshot = wh.snapshot_path
    if damage == "garbage":
        data = bytearray(snapshot.read_bytes())
        data[: 16 * 1024] = bytes(16 * 1024)
        snapshot.write_bytes(bytes(data))
    elif damage == "truncated":
        snapshot.write_bytes(snapshot.read_bytes()[: snapshot.stat().st_size // 3])
    elif damage == "missing":
        snapshot.unlink()
    else:
        snapshot.write_bytes(b"")
    result = run_qatysu("sql", "SELECT count(*) AS n FROM posts", "--db", str(wh.path), "--format", "csv")
    assert result.returncode == 0 and result.stdout.splitlines() == ["n", "4"], result.stderr
    assert run_qatysu("regions", "--db", str(wh.path)).returncode == 0


def test_backup_is_a_consistent_copy_without_the_key(wh, tmp_path):
    with wh.writer() as con:
        upsert_posts(con, make_posts(6))
    out = tmp_path / "backups" / "monday"
    result = run_qatysu("backup", str(out), "--db", str(wh.path))
    assert result.returncode == 0, result.stderr
    assert "not in the backup" in result.stdout and "QATYSU_AUTHOR_KEY" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == ["qatysu.duckdb"]  # no key, no half-written file
    copy = run_qatysu("sql", "SELECT count(*) AS n FROM posts", "--db", str(out / "qatysu.duckdb"), "--live",
                      "--format", "csv")
    assert copy.stdout.splitlines() == ["n", "6"], copy.stderr
    _one_line_error(run_qatysu("backup", str(out), "--db", str(wh.path)), "already exists")
    _one_line_error(run_qatysu("backup", str(wh.path.parent), "--db", str(wh.path)), "already exists")
