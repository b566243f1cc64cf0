"""Property: whatever is done to a real saved t.me/s page, the parser returns, and what it returns can be stored.

The default suite runs a few hundred mutated pages; the slow test runs 10,000 (``bench/fuzz_telegram.py``
runs as many as asked, from seeded random mutations).
"""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qatysu.crawlers.telegram_discussion import parse_discussion
from qatysu.crawlers.telegram_page import parse_channel_page
from qatysu.synthetic.page_mutations import NASTY, OPS, TARGETS, Op, apply
from qatysu.warehouse.validation import MAX_COUNT, plausible_time

from helpers import ROOT

PAGES = sorted((ROOT / "tests" / "pages" / "telegram").rglob("*.html"))
BODIES = [p.read_bytes() for p in PAGES]

ops = st.lists(st.builds(
    Op,
    kind=st.sampled_from(OPS),
    where=st.floats(0, 1, exclude_max=True),
    data=st.one_of(st.sampled_from(NASTY), st.binary(max_size=40), st.text(max_size=40).map(str.encode),
                   st.integers(1, 3000).map(lambda n: b"<i>" * n)),
    target=st.sampled_from(sorted(TARGETS)),
), min_size=1, max_size=4)


def check_storable(body: bytes) -> None:
    page = parse_channel_page(body)
    assert page.skipped >= 0
    assert page.before is None or 0 <= page.before < 10**18
    for post in page.posts:
        assert isinstance(post["post_id"], int) and 0 <= post["post_id"] < 10**18
        assert isinstance(post["published_at"], datetime) and plausible_time(post["published_at"])
        for counter in ("views", "reactions"):
            assert post[counter] is None or 0 <= post[counter] <= MAX_COUNT
        for field in ("source", "text", "author", "forwarded_from", "reply_to", "url"):
            if post[field] is not None:
                post[field].encode("utf-8")  # no lone surrogate reaches the warehouse


def _fuzz(page: int, mutation: list[Op]) -> None:
    check_storable(apply(BODIES[page], mutation))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page=st.integers(0, len(BODIES) - 1), mutation=ops)
def test_mutated_real_pages_never_escape_the_parser(page, mutation):
    _fuzz(page, mutation)


@pytest.mark.slow
@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page=st.integers(0, len(BODIES) - 1), mutation=ops)
def test_ten_thousand_mutated_real_pages_never_escape_the_parser(page, mutation):
    _fuzz(page, mutation)


DISCUSSION = (ROOT / "tests" / "pages" / "telegram_discussion.html").read_bytes()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutation=ops)
def test_mutated_discussion_pages_never_escape_the_parser(mutation):
    found = parse_discussion(apply(DISCUSSION, mutation), "sailau_kz", 501)
    for comment in found.comments:
        assert plausible_time(comment["published_at"]) and comment["reply_to"] == "501"
