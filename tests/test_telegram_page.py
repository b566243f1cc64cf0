"""Parsing t.me/s pages: a hand-written page with the live markup's edge cases, and rendered pages."""

from datetime import datetime, timedelta, timezone

import pytest

from qatysu.crawlers.telegram_page import parse_channel_page, parse_count
from qatysu.synthetic.telegram_render import RenderedPost, render_channel_page

from helpers import ROOT

ALMATY = timezone(timedelta(hours=5))


@pytest.fixture(scope="module")
def page():
    # requested as /s/old_name: the channel was renamed, data-post carries the current name
    return parse_channel_page((ROOT / "tests" / "pages" / "telegram_renamed.html").read_bytes())


@pytest.mark.parametrize("text, value", [("12.3K", 12300), ("1.2M", 1_200_000), ("987", 987), ("2M", 2_000_000),
                                         ("1,5K", 1500), ("", None), ("views", None)])
def test_counts_with_suffixes(text, value):
    assert parse_count(text) == value


def test_channel_info(page):
    assert page.channel["title"] == "Сайлау 2023 | Выборы"
    assert page.channel["description"] == "Новости выборов\nСайлау жаңалықтары"
    assert page.channel["subscribers"] == 1_200_000
    assert page.before == 501


def test_service_messages_are_not_posts(page):
    assert [p["post_id"] for p in page.posts] == [501, 502, 503]


def test_text_reactions_views_signature_edit_and_hidden_forward(page):
    p = page.posts[0]
    assert p["source"] == "sailau_kz" and p["url"] == "https://t.me/sailau_kz/501"
    assert p["text"] == "Явка в ВКО на 18:00 — 61,2%.\n\nПодробнее: election.gov.kz #выборы @cec_kz"
    assert p["published_at"] == datetime(2023, 3, 19, 18, 5, 11, tzinfo=ALMATY)
    assert p["views"] == 45_600
    assert p["extra"]["reactions"] == {"👍": 1500, "😡": 87, "paid": 12} and p["reactions"] == 1599
    assert p["author"] == "Айгерим Б."
    assert p["forwarded_from"] is None and p["forwarded_from_person"] == "Скрытый Автор"  # pseudonymised on upsert
    assert p["extra"]["edited"] is True
    assert p["extra"]["links"] == ["https://www.election.gov.kz/rus/news/"]
    assert p["extra"]["hashtags"] == ["выборы"] and p["extra"]["mentions"] == ["cec_kz"]


def test_reply_quote_is_excluded_and_single_media_caption_is_found(page):
    p = page.posts[1]
    assert p["text"] == "Сайлау учаскесінде кезек. Дауыс беріңіздер!"
    assert p["reply_to"] == "501"
    assert p["extra"]["media"] == ["photo"]
    assert p["reactions"] is None and p["views"] == 987


def test_a_poll_is_its_question_with_a_linked_forward(page):
    p = page.posts[2]
    assert p["text"] == "Пойдёте голосовать?"
    assert p["forwarded_from"] == "tengrinews"
    assert p["extra"]["media"] == ["poll"] and p["views"] == 2_000_000


def test_a_truncated_page_yields_the_complete_posts():
    html = (ROOT / "tests" / "pages" / "telegram_renamed.html").read_text(encoding="utf-8")
    cut = html[: html.index('data-post="sailau_kz/503"') - 60]
    parsed = parse_channel_page(cut)
    assert [p["post_id"] for p in parsed.posts] == [501, 502]


def test_a_page_without_messages_or_garbage_parses_to_nothing():
    assert parse_channel_page(b"<html><body>Not a channel</body></html>").posts == []
    assert parse_channel_page(b"\x00\x01garbage").posts == []


def test_rendered_pages_round_trip():
    t = datetime(2024, 5, 1, 12, tzinfo=timezone.utc)
    posts = [RenderedPost(i, t + timedelta(minutes=i), f"Пост {i}\nвторая строка", views=1000 * i, reactions={"🔥": i})
             for i in range(1, 21)]
    parsed = parse_channel_page(render_channel_page("demo", posts, subscribers=5000, before=1))
    assert [(p["post_id"], p["text"], p["reactions"]) for p in parsed.posts] == [
        (i, f"Пост {i}\nвторая строка", i) for i in range(1, 21)]
