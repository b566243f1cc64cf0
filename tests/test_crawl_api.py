"""The vk and youtube spiders against scripted API servers on 127.0.0.1."""

from datetime import datetime, timezone

import pytest

from api_server import ApiServer
from helpers import run_qatysu

FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=false", "--set", "RETRY_BACKOFF_BASE=0.05"]
VK_TOKEN = "vk-secret-token-123"
YT_KEY = "yt-secret-key-456"
EPOCH = int(datetime(2024, 5, 1, tzinfo=timezone.utc).timestamp())


def vk_wall(owner: int, n: int) -> list[dict]:
    """Newest first, a pinned old post on top, as wall.get returns them."""
    posts = [{"id": i, "owner_id": owner, "from_id": owner if i % 2 else 555, "date": EPOCH + 3600 * i,
              "text": f"Пикет у акимата {i}", "likes": {"count": i}, "reposts": {"count": 1},
              "comments": {"count": i % 4}, "views": {"count": 100 * i}} for i in range(n, 0, -1)]
    pinned = dict(posts[-1], is_pinned=1)
    return [pinned] + posts[:-1] if n > 1 else posts


def test_vk_walls_with_pagination_rate_limit_errors_and_a_secret_token(wh):
    wall = vk_wall(-100, 230)
    calls = {"rate_limited": False}

    def route(req):
        if req.params.get("access_token") != VK_TOKEN:
            return 200, {"error": {"error_code": 5, "error_msg": "User authorization failed"}}
        if req.params.get("domain") == "closed_group":
            return 200, {"error": {"error_code": 15, "error_msg": "Access denied: group is private"}}
        offset, count = int(req.params["offset"]), int(req.params["count"])
        if offset == 100 and not calls["rate_limited"]:
            calls["rate_limited"] = True
            return 200, {"error": {"error_code": 6, "error_msg": "Too many requests per second"}}
        return 200, {"response": {"count": len(wall), "items": wall[offset:offset + count]}}

    server = ApiServer(route)
    with server as url:
        result = run_qatysu("crawl", "vk", "--db", str(wh.path), *FAST, "--", "-100", "closed_group",
                            env={"QATYSU_VK_API_URL": url, "VK_TOKEN": VK_TOKEN})
    assert result.returncode == 1  # the closed wall is an error the scheduler must see
    assert "vk wall closed_group: API error 15: access denied" in result.stderr
    assert "230 new posts" in result.stdout
    assert all(r.method == "POST" and r.params["v"] == "5.199" for r in server.seen)
    assert [int(r.params["offset"]) for r in server.seen if r.params.get("owner_id")] == [0, 100, 100, 200]
    with wh.reader() as con:
        row = con.execute("SELECT url, published_at, text, views, reactions, comments, forwards, author_hash IS NOT NULL "
                          "FROM posts WHERE post_uid = 'vk:-100:7'").fetchone()
        n, distinct = con.execute("SELECT count(*), count(DISTINCT post_uid) FROM posts").fetchone()
        member_post = con.execute("SELECT author_hash IS NOT NULL FROM posts WHERE post_uid = 'vk:-100:8'").fetchone()
        closed = con.execute("SELECT has_public_preview FROM sources WHERE source_id = 'vk:closed_group'").fetchone()
        dump = con.execute("SELECT string_agg(CAST(columns(*) AS VARCHAR), '|') FROM crawl_runs").fetchall()
    assert row == ("https://vk.com/wall-100_7", datetime.fromtimestamp(EPOCH + 7 * 3600, tz=timezone.utc),
                   "Пикет у акимата 7", 700, 7, 3, 1, False)  # a community's own post has no person as author
    assert (n, distinct) == (230, 230) and member_post == (True,)
    assert closed == (False,)
    assert VK_TOKEN not in str(dump) and VK_TOKEN not in result.stderr + result.stdout


@pytest.mark.slow
def test_vk_incremental_crawl_stops_at_the_frontier(wh):
    wall = vk_wall(-7, 150)

    def route(req):
        offset = int(req.params["offset"])
        return 200, {"response": {"count": len(wall), "items": wall[offset:offset + 100]}}

    server = ApiServer(route)
    with server as url:
        env = {"QATYSU_VK_API_URL": url, "VK_TOKEN": VK_TOKEN}
        assert run_qatysu("crawl", "vk", "--db", str(wh.path), *FAST, "--", "-7", env=env).returncode == 0
        wall[:] = vk_wall(-7, 155)
        server.seen.clear()
        second = run_qatysu("crawl", "vk", "--db", str(wh.path), *FAST, "--", "-7", env=env)
    assert "5 new posts" in second.stdout and len(server.seen) == 1


def yt_thread(i: int, video: str) -> dict:
    return {"id": f"Ugx{i}", "snippet": {"videoId": video, "totalReplyCount": i % 3, "topLevelComment": {
        "id": f"Ugx{i}", "snippet": {"videoId": video, "textOriginal": f"Сайлауға барамыз {i}", "likeCount": 10 * i,
                                     "publishedAt": f"2024-05-{(i % 28) + 1:02d}T10:00:00Z",
                                     "updatedAt": f"2024-05-{(i % 28) + 1:02d}T10:00:00Z",
                                     "authorChannelId": {"value": f"UCauthor{i % 5}"}}}}}


def test_youtube_comments_with_page_tokens_and_named_errors(wh):
    threads = [yt_thread(i, "dQw4w9WgXcQ") for i in range(1, 151)]

    def route(req):
        if req.headers.get("x-goog-api-key") != YT_KEY:
            return 403, {"error": {"code": 403, "message": "bad key", "errors": [{"reason": "forbidden"}]}}
        if req.params.get("videoId") == "noComments1":
            return 403, {"error": {"code": 403, "message": "disabled", "errors": [{"reason": "commentsDisabled"}]}}
        start = int(req.params.get("pageToken", "0"))
        page = threads[start:start + 100]
        body = {"items": page}
        if start + 100 < len(threads):
            body["nextPageToken"] = str(start + 100)
        return 200, body

    server = ApiServer(route)
    with server as url:
        result = run_qatysu("crawl", "youtube", "dQw4w9WgXcQ", "noComments1", "--db", str(wh.path), *FAST,
                            env={"QATYSU_YOUTUBE_API_URL": url, "YOUTUBE_API_KEY": YT_KEY})
    assert "150 new posts" in result.stdout
    assert "youtube noComments1: comments are disabled (commentsDisabled)" in result.stderr
    assert all(YT_KEY not in r.path and "key" not in r.params for r in server.seen)
    with wh.reader() as con:
        row = con.execute("SELECT source_id, url, text, reactions, comments FROM posts WHERE post_id = 'Ugx4'").fetchone()
        authors = con.execute("SELECT count(DISTINCT author_hash) FROM posts").fetchone()[0]
    assert row == ("youtube:dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&lc=Ugx4",
                   "Сайлауға барамыз 4", 40, 1)
    assert authors == 5
