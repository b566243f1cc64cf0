"""Comments under channel posts, from the discussion widget (hand-written page: needs a live check)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from qatysu.crawlers.telegram_discussion import parse_discussion
from qatysu.synthetic.preview_server import Channel, PreviewServer, PreviewSite
from qatysu.synthetic.telegram_render import RenderedPost

from helpers import ROOT, run_qatysu

PAGE = ROOT / "tests" / "pages" / "telegram_discussion.html"
FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=false"]


def test_comments_reply_to_the_channel_post_with_their_authors():
    found = parse_discussion(PAGE.read_bytes(), "sailau_kz", 501)
    assert found.skipped == 0
    first, reply, question = found.comments
    assert first["post_id"] == "501c9121" and first["reply_to"] == "501"
    assert first["url"] == "https://t.me/sailau_kz/501?comment=9121"
    assert first["text"] == "Біздің учаскеде кезек ұзын\nбірақ барамыз 💪"
    assert first["author"] == "aigerim_k" and first["reactions"] == 12
    assert first["published_at"] == datetime(2023, 3, 19, 13, 20, tzinfo=timezone.utc)
    assert reply["text"] == "А у нас явка низкая\nпочти никого" and reply["author"] == "Deleted Account"
    assert question["text"] == "Где смотреть итоги по #ВКО?" and question["author"] == "erlan_77"


def test_an_unreadable_comment_is_skipped_and_counted():
    html = PAGE.read_text(encoding="utf-8").replace('datetime="2023-03-19T13:31:09+00:00"', 'datetime=""')
    found = parse_discussion(html, "sailau_kz", 501)
    assert [c["post_id"] for c in found.comments] == ["501c9121", "501c9130"] and found.skipped == 1
    assert parse_discussion(b"\xff\x00 not html", "sailau_kz", 501).comments == []


@pytest.mark.slow
def test_crawl_with_comments_stores_them_pseudonymised(wh):
    post = RenderedPost(post_id=501, published_at=datetime(2023, 3, 19, 13, tzinfo=timezone.utc),
                        text="Явка в ВКО на 18:00 — 61,2%", views=1000)
    site = PreviewSite({"sailau_kz": Channel("sailau_kz", [post])},
                       discussions={"sailau_kz/501": PAGE.read_text(encoding="utf-8")})
    with PreviewServer(site) as url:
        result = run_qatysu("crawl", "telegram", "sailau_kz", "--comments", "--db", str(wh.path), *FAST,
                            env={"QATYSU_TELEGRAM_BASE_URL": url})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "4 new posts" in result.stdout
    with wh.reader(live=True) as con:
        rows = con.execute("SELECT post_id, reply_to, author_hash IS NOT NULL, text FROM posts ORDER BY post_id"
                           ).fetchall()
        frontier = con.execute("SELECT newest_post_id FROM crawl_frontier").fetchall()
        stored = str(con.execute("SELECT * FROM posts").fetchall())
    assert [r[:3] for r in rows] == [("501", None, False), ("501c9121", "501", True), ("501c9125", "501", True),
                                     ("501c9130", "501", True)]
    assert frontier == [(501,)] and "aigerim_k" not in stored and "erlan_77" not in stored
