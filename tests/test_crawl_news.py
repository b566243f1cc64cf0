"""The news spider driven by a researcher's YAML rules, against a local site."""

import pytest

from qatysu.crawlers.news_rules import load_rules

from api_server import ApiServer
from helpers import run_qatysu

FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=false"]

RULES = """
site: qazaq-times.example
name: Qazaq Times
feeds: [https://qazaq-times.example/rss.xml]
sitemaps: [https://qazaq-times.example/sitemap.xml]
article:
  url_pattern: "/news/"
  title: "h1::text"
  text: "div.body p"
  date: "meta[property='article:published_time']::attr(content)"
  comment_count: "span.n-comments::text"
  comments:
    item: "div.comment"
    id: "::attr(data-id)"
    text: "p.c-text"
    date: "time::attr(datetime)"
    author: "b.c-author::text"
"""

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>QT</title>
<item><title>Тарифы</title><link>https://qazaq-times.example/news/tariffs-1?utm=rss</link>
<pubDate>Mon, 04 Mar 2024 10:00:00 +0500</pubDate></item>
<item><title>Old</title><link>https://qazaq-times.example/news/old-0</link><pubDate>Mon, 01 Jan 2018 10:00:00 +0500</pubDate></item>
<item><title>Ads</title><link>https://qazaq-times.example/promo/buy</link></item>
</channel></rss>"""

SITEMAP = """<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://qazaq-times.example/news/tariffs-1</loc><lastmod>2024-03-04</lastmod></url>
<url><loc>https://qazaq-times.example/news/sailau-2</loc><lastmod>2024-03-05</lastmod></url>
</urlset>"""


def article(title, paragraphs, comments):
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    comments_html = "".join(
        f'<div class="comment" data-id="{cid}"><b class="c-author">{a}</b><time datetime="2024-03-05T12:00:00+05:00">'
        f'</time><p class="c-text">{t}</p></div>' for cid, a, t in comments)
    return (f'<html><head><meta property="article:published_time" content="2024-03-04T10:00:00+05:00"></head>'
            f'<body><h1>{title}</h1><div class="body">{body}</div><span class="n-comments">{len(comments)}</span>'
            f'{comments_html}</body></html>')


PAGES = {
    "/rss.xml": RSS,
    "/sitemap.xml": SITEMAP,
    "/robots.txt": "User-agent: *\nAllow: /\n",
    "/news/tariffs-1": article("Тарифы на тепло выросли", ["Жители Усть-Каменогорска недовольны.", "Акимат обещает."],
                               [("c1", "Айдар", "Пойдём на приём к акиму"), ("c2", "Ольга", "Бесполезно")]),
    "/news/sailau-2": article("Сайлау-2024", ["Сайлау учаскелері ашылды."], []),
}


@pytest.mark.slow
def test_a_site_added_by_yaml_is_crawled_once_with_comments(wh, tmp_path):
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    (rules_dir / "qazaq_times.yaml").write_text(RULES, encoding="utf-8")
    server = ApiServer(lambda req: (200, PAGES[req.path]) if req.path in PAGES else (404, "{}"))
    with server as url:
        env = {"QATYSU_NEWS_RULES": str(rules_dir), "QATYSU_NEWS_BASE_URL": url}
        first = run_qatysu("crawl", "news", "qazaq-times.example", "--since", "2020-01-01", "--db", str(wh.path),
                           *FAST, env=env)
        fetched = [r.path for r in server.seen]
        again = run_qatysu("crawl", "news", "qazaq-times.example", "--db", str(wh.path), *FAST, env=env)
    assert first.returncode == 0, first.stderr[-2000:]
    assert "4 new posts" in first.stdout
    assert "0 new posts" in again.stdout
    assert "/news/old-0" not in fetched and "/promo/buy" not in fetched
    assert fetched.count("/news/tariffs-1") == 1  # listed by the feed and the sitemap, read once
    assert "/news/tariffs-1" not in [r.path for r in server.seen[len(fetched):]]  # stored: not read again
    with wh.reader() as con:
        rows = con.execute("SELECT post_id, url, text, comments, reply_to, author_hash IS NOT NULL FROM posts "
                           "ORDER BY post_id").fetchall()
    assert rows[0] == ("/news/sailau-2", "https://qazaq-times.example/news/sailau-2",
                       "Сайлау-2024\n\nСайлау учаскелері ашылды.", 0, None, False)
    assert rows[1] == ("/news/tariffs-1", "https://qazaq-times.example/news/tariffs-1",
                       "Тарифы на тепло выросли\n\nЖители Усть-Каменогорска недовольны.\nАкимат обещает.", 2, None, False)
    assert rows[2] == ("/news/tariffs-1#c1", "https://qazaq-times.example/news/tariffs-1#comment-c1",
                       "Пойдём на приём к акиму", None, "/news/tariffs-1", True)


def test_shipped_example_rules_load():
    rules = load_rules()
    assert {"tengrinews.kz", "informburo.kz", "rus.azattyq.org"} <= set(rules)
    assert all(r.feeds or r.sitemaps for r in rules.values())
