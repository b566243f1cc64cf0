from datetime import datetime, timezone

import pytest

from qatysu.warehouse import load_author_key, upsert_posts, upsert_sources
from qatysu.warehouse.posts import BadPost

from helpers import make_posts


def _posts(con):
    return con.execute(
        "SELECT post_uid, source_id, url, published_at, text, views, reactions, comments, forwards, content_hash "
        "FROM posts ORDER BY post_uid"
    ).fetchall()


def test_same_batch_twice_keeps_posts_updates_counters_appends_metrics(wh):
    batch = make_posts(50)
    with wh.writer() as con:
        first = upsert_posts(con, batch)
        stored = _posts(con)
        again = upsert_posts(con, batch)
        assert _posts(con) == stored
        grown = [dict(p, views=p["views"] * 10, reactions=p["reactions"] + 1) for p in batch]
        third = upsert_posts(con, grown)
        after = con.execute("SELECT post_uid, views, reactions FROM posts ORDER BY post_uid").fetchall()
        metrics = con.execute(
            "SELECT post_uid, count(*), max(views) FROM post_metrics GROUP BY 1 ORDER BY 1"
        ).fetchall()
        n_posts = con.execute("SELECT count(*) FROM posts").fetchone()[0]
    assert (first.inserted, first.updated) == (50, 0)
    assert (again.inserted, again.updated) == (0, 50)
    assert (third.inserted, third.updated, third.metrics) == (0, 50, 50)
    assert n_posts == 50
    by_uid = {p["post_id"]: p for p in grown}
    for uid, views, reactions in after:
        post = by_uid[int(uid.rsplit(":", 1)[1])]
        assert (views, reactions) == (post["views"], post["reactions"])
    assert all(count == 3 for _, count, _ in metrics)
    assert [m[2] for m in metrics] == [v for _, v, _ in after]


def test_stored_fields_match_the_input(wh):
    post = make_posts(1, source="Tengrinews")[0]
    with wh.writer() as con:
        upsert_posts(con, [post])
        row = con.execute(
            "SELECT post_uid, platform, source_id, post_id, url, published_at, text, views, comments, forwards "
            "FROM posts"
        ).fetchone()
        source = con.execute("SELECT source_id, platform, handle FROM sources").fetchone()
    assert row == (
        "telegram:tengrinews:0", "telegram", "telegram:tengrinews", "0", post["url"],
        post["published_at"], post["text"], post["views"], None, 1,
    )
    assert source == ("telegram:tengrinews", "telegram", "Tengrinews")


def test_missing_counters_stay_null_and_do_not_erase_known_ones(wh):
    with wh.writer() as con:
        upsert_posts(con, make_posts(2, views=None))
        assert con.execute("SELECT count(*) FROM posts WHERE views IS NULL").fetchone()[0] == 2
        upsert_posts(con, make_posts(2, views=500))
        upsert_posts(con, make_posts(2, views=None))
        assert con.execute("SELECT list(views ORDER BY post_uid) FROM posts").fetchone()[0] == [500, 501]


def test_edited_text_replaces_text_and_hash(wh):
    post = make_posts(1)[0]
    with wh.writer() as con:
        upsert_posts(con, [post])
        h1 = con.execute("SELECT content_hash FROM posts").fetchone()[0]
        upsert_posts(con, [dict(post, text="Исправленный текст")])
        text, h2 = con.execute("SELECT text, content_hash FROM posts").fetchone()
    assert text == "Исправленный текст" and h2 != h1


def test_last_record_of_a_post_within_a_batch_wins(wh):
    posts = make_posts(1) + [dict(make_posts(1)[0], views=9999)]
    with wh.writer() as con:
        result = upsert_posts(con, posts)
        assert con.execute("SELECT views FROM posts").fetchone()[0] == 9999
    assert result.inserted == 1


def test_authors_are_pseudonymised_with_the_warehouse_key(wh):
    key = load_author_key(wh.author_key_path)
    posts = [dict(p, author="user12345", platform="vk") for p in make_posts(2)]
    with wh.writer() as con:
        upsert_posts(con, posts, author_key=key)
        hashes = {r[0] for r in con.execute("SELECT author_hash FROM posts").fetchall()}
        dump = con.execute("SELECT string_agg(CAST(columns(*) AS VARCHAR), '|') FROM posts").fetchall()
    assert len(hashes) == 1 and None not in hashes
    assert "user12345" not in str(dump)
    with pytest.raises(BadPost, match="no author key"):
        with wh.writer() as con:
            upsert_posts(con, posts)


def test_a_failing_batch_leaves_nothing_behind(wh):
    with wh.writer() as con:
        upsert_posts(con, make_posts(5))
        con.execute("ALTER TABLE post_metrics RENAME TO post_metrics_gone")
        with pytest.raises(Exception):
            upsert_posts(con, make_posts(10, views=7000, source="other_channel"))
        con.execute("ALTER TABLE post_metrics_gone RENAME TO post_metrics")
        assert con.execute("SELECT count(*) FROM posts").fetchone()[0] == 5
        assert con.execute("SELECT max(views) FROM posts").fetchone()[0] < 7000
        assert con.execute("SELECT count(*) FROM sources").fetchone()[0] == 1


def test_a_post_without_its_keys_is_refused(wh):
    with wh.writer() as con, pytest.raises(BadPost, match="post_id"):
        upsert_posts(con, [{"platform": "telegram", "source": "x", "text": "no id"}])


def test_sources_metadata_is_refreshed_without_losing_fields(wh):
    with wh.writer() as con:
        upsert_sources(con, [{"platform": "telegram", "handle": "Akorda", "title": "Ақорда", "kind": "official"}])
        upsert_sources(con, [{"platform": "telegram", "handle": "akorda", "subscribers": 120000}])
        row = con.execute("SELECT source_id, title, kind, subscribers FROM sources").fetchone()
    assert row == ("telegram:akorda", "Ақорда", "official", 120000)


def test_naive_times_are_read_as_utc(wh):
    post = dict(make_posts(1)[0], published_at="2024-05-01T10:00:00")
    with wh.writer() as con:
        upsert_posts(con, [post])
        stored = con.execute("SELECT published_at FROM posts").fetchone()[0]
    assert stored == datetime(2024, 5, 1, 10, 0, tzinfo=timezone.utc)


def test_a_batch_mixing_known_and_new_posts(wh):
    with wh.writer() as con:
        upsert_posts(con, make_posts(10))
        result = upsert_posts(con, make_posts(10, start=5, views=900))
        rows = con.execute("SELECT count(*), count(DISTINCT post_uid), max(views) FROM posts").fetchone()
    assert (result.inserted, result.updated) == (5, 5)
    assert rows == (15, 15, 914)
