"""Real crawls with the telegram spider against a t.me/s-shaped server on 127.0.0.1."""

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest

from qatysu.synthetic.preview_server import Channel, Fault, PreviewServer, PreviewSite
from qatysu.crawlers.telegram_page import parse_count
from qatysu.synthetic.telegram_render import RenderedPost, short_count

from helpers import run_qatysu

FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=false", "--set", "RETRY_BACKOFF_BASE=0.05"]
T0 = datetime(2024, 3, 1, 6, 0, tzinfo=timezone.utc)


def channel_posts(n: int, *, views_factor: int = 100) -> list[RenderedPost]:
    posts = []
    for i in range(1, n + 1):
        posts.append(RenderedPost(
            post_id=i, published_at=T0 + timedelta(hours=i),
            text=None if i % 10 == 0 else f"Пост {i}: явка на выборах\nСайлауға қатысыңыз #сайлау",
            views=views_factor * i, reactions={"👍": i, "🔥": 2} if i % 2 else {},
            forwarded_from="tengrinews" if i % 7 == 0 else None,
            reply_to=i - 1 if i % 5 == 0 else None, reply_text="цитата" if i % 5 == 0 else None,
            signature="Редактор" if i % 3 == 0 else None, media=("photo",) if i % 10 == 0 else (),
        ))
    return posts


def crawl(wh, url, *args):
    return run_qatysu("crawl", "telegram", *args, "--db", str(wh.path), *FAST,
                      env={"QATYSU_TELEGRAM_BASE_URL": url})


def stored(wh):
    with wh.reader(live=True) as con:
        return {r[0]: r for r in con.execute(
            "SELECT post_uid, url, published_at, text, views, reactions, forwarded_from, reply_to, author_hash, "
            "extra->>'$.media[0]' FROM posts").fetchall()}


@pytest.fixture
def site():
    return PreviewSite({
        "sailau_news": Channel("sailau_news", channel_posts(45), title="Сайлау жаңалықтары", subscribers=12345),
        "akimat_info": Channel("akimat_info", channel_posts(23), title="Акимат", subscribers=2_100_000),
        "closed_chan": Channel("closed_chan", [], public_preview=False),
        "old_name": Channel("old_name", channel_posts(3), current_name="new_name"),
    })


def test_crawl_stores_every_post_field_by_field_through_faults(wh, site):
    site.schedule("/s/sailau_news?before=26", [Fault(429, retry_after="1")])
    site.schedule("/s/akimat_info", [Fault(500)])
    site.schedule("/s/sailau_news?before=6", [Fault(truncate=True)])
    with PreviewServer(site) as url:
        result = crawl(wh, url, "sailau_news", "akimat_info", "closed_chan", "old_name")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "71 new posts" in result.stdout
    rows = stored(wh)
    assert len(rows) == 45 + 23 + 3
    for handle, n in (("sailau_news", 45), ("akimat_info", 23)):
        for p in channel_posts(n):
            uid, url_, published, text, views, reactions, fwd, reply, author, media = rows[f"telegram:{handle}:{p.post_id}"]
            assert url_ == f"https://t.me/{handle}/{p.post_id}"
            assert published == p.published_at
            assert text == p.text
            assert views == parse_count(short_count(p.views))
            assert reactions == (sum(p.reactions.values()) if p.reactions else None)
            assert fwd == p.forwarded_from
            assert reply == (str(p.reply_to) if p.reply_to else None)
            assert (author is not None) == (p.signature is not None)
            assert media == (p.media[0] if p.media else None)
    assert {uid for uid in rows if uid.startswith("telegram:new_name:")} == {f"telegram:new_name:{i}" for i in (1, 2, 3)}
    with wh.reader() as con:
        sources = {r[0]: r[1:] for r in con.execute(
            "SELECT handle, title, subscribers, has_public_preview FROM sources").fetchall()}
        run = con.execute("SELECT spider, status, items, errors, finished_at IS NOT NULL FROM crawl_runs").fetchall()
    assert sources["sailau_news"] == ("Сайлау жаңалықтары", 12300, True)
    assert sources["akimat_info"] == ("Акимат", 2_100_000, True)
    assert sources["closed_chan"][2] is False
    assert run == [("telegram", "finished", 71, 0, True)]


@pytest.mark.slow
def test_an_unreadable_message_costs_neither_its_page_nor_the_older_pages(wh, site):
    newest = channel_posts(45)[-1].published_at.isoformat()
    site.schedule("/s/sailau_news", [Fault(replace=(f'datetime="{newest}"', 'datetime=""'))])
    with PreviewServer(site) as url:
        result = crawl(wh, url, "sailau_news")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "44 new posts" in result.stdout and "1 unreadable messages skipped" in result.stdout
    assert set(stored(wh)) == {f"telegram:sailau_news:{i}" for i in range(1, 45)}
    with wh.reader(live=True) as con:
        assert con.execute("SELECT status, items, skipped FROM crawl_runs").fetchall() == [("finished", 44, 1)]


@pytest.mark.slow
def test_second_crawl_is_incremental_and_refresh_updates_counters(wh, site):
    with PreviewServer(site) as url:
        assert crawl(wh, url, "sailau_news").returncode == 0
        site.channels["sailau_news"].posts += channel_posts(50)[45:]
        site.requests.clear()
        second = crawl(wh, url, "sailau_news")
        incremental_requests = [r for r in site.requests if r.startswith("/s/")]
        site.channels["sailau_news"].posts = channel_posts(50, views_factor=1000)
        third = crawl(wh, url, "sailau_news", "--refresh")
    assert second.returncode == 0 and "5 new posts, 0 updated" in second.stdout
    assert incremental_requests == ["/s/sailau_news"]
    assert third.returncode == 0 and "0 new posts, 50 updated" in third.stdout
    with wh.reader() as con:
        assert con.execute("SELECT count(*), count(DISTINCT post_uid) FROM posts").fetchone() == (50, 50)
        assert con.execute("SELECT views FROM posts WHERE post_uid = 'telegram:sailau_news:50'").fetchone()[0] == 50_000
        per_post = dict(con.execute("SELECT post_uid, count(*) FROM post_metrics GROUP BY 1").fetchall())
    assert per_post["telegram:sailau_news:1"] == 2 and per_post["telegram:sailau_news:50"] == 2


@pytest.mark.slow
def test_since_and_max_pages_bound_the_walk(wh, site):
    with PreviewServer(site) as url:
        assert crawl(wh, url, "sailau_news", "--since", "2024-03-02T12:00:00+00:00").returncode == 0
        assert len(stored(wh)) == 45 - 29
        assert crawl(wh, url, "akimat_info", "--max-pages", "1").returncode == 0
    assert len([u for u in stored(wh) if u.startswith("telegram:akimat_info:")]) == 20


@pytest.mark.slow
def test_a_crawl_killed_midway_and_rerun_loses_and_duplicates_nothing(wh):
    site = PreviewSite({"big_chan": Channel("big_chan", channel_posts(600), subscribers=100)})
    with PreviewServer(site) as url:
        proc = subprocess.Popen(
            [sys.executable, "-m", "qatysu", "crawl", "telegram", "big_chan", "--db", str(wh.path), *FAST,
             "--set", "QATYSU_BATCH_SIZE=40", "--set", "DOWNLOAD_DELAY=0.15"],
            env={**os.environ, "QATYSU_TELEGRAM_BASE_URL": url}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while len(site.requests) < 12 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        killed_with = len(stored(wh))
        result = crawl(wh, url, "big_chan")
    assert 0 < killed_with < 600, "the kill should land mid-crawl, after some batches were committed"
    assert result.returncode == 0, result.stderr[-2000:]
    with wh.reader() as con:
        assert con.execute("SELECT count(*), count(DISTINCT post_uid), min(post_id::INT), max(post_id::INT) "
                           "FROM posts").fetchone() == (600, 600, 1, 600)
        runs = con.execute("SELECT status FROM crawl_runs ORDER BY started_at").fetchall()
    assert runs == [("abandoned",), ("finished",)]  # the killed run is not left "running"
