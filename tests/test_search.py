"""Full-text search and keyword in context over real posts, processed as a user would process them."""

import re
from datetime import datetime, timezone

import pytest

from helpers import invoke, shared_posts

# every plural form of «выборы» (elections), read off the texts themselves, not from Qatysu
ELECTIONS = re.compile(r"(?<![а-яё])выбор(ы|ов|ам|ами|ах)(?![а-яё])", re.IGNORECASE)


@pytest.fixture(scope="module")
def searchable(tmp_path_factory):
    from qatysu.flows.config import ProcessConfig
    from qatysu.flows.process import process_posts
    from qatysu.warehouse import Warehouse, init_warehouse, upsert_posts

    wh = Warehouse.at(tmp_path_factory.mktemp("search") / "q.duckdb")
    init_warehouse(wh)
    posts = shared_posts(1500)
    with wh.writer() as con:
        upsert_posts(con, posts)
    process_posts(wh, ProcessConfig(workers=1))
    with wh.reader() as con:
        texts = dict(con.execute("SELECT post_uid, text FROM posts").fetchall())
    return wh, texts


def test_search_finds_every_form_of_a_word_and_filters(searchable):
    from qatysu.flows.search import search_posts

    wh, texts = searchable
    expected = {uid for uid, text in texts.items() if ELECTIONS.search(text or "")}
    assert len(expected) >= 5  # the corpus does speak of elections
    columns, rows = search_posts(wh, "выборов", limit=1000)
    found = {r[columns.index("post_uid")] for r in rows}
    assert expected <= found  # «выборы», «выборах», «выборам»… all found from one form
    assert all(re.search(r"выбор", texts[uid], re.IGNORECASE) for uid in found)  # and nothing without the stem
    scores = [r[columns.index("score")] for r in rows]
    assert scores == sorted(scores, reverse=True)

    source = rows[0][columns.index("source_id")]
    _, only = search_posts(wh, "выборов", source=source, limit=1000)
    assert only and {r[columns.index("source_id")] for r in only} == {source}
    since = datetime(2024, 12, 3, tzinfo=timezone.utc)
    _, recent = search_posts(wh, "выборов", since=since, limit=1000)
    with wh.reader() as con:
        dates = dict(con.execute("SELECT post_uid, published_at FROM posts").fetchall())
    assert {r[0] for r in recent} == {uid for uid in found if dates[uid] >= since}
    _, kazakh = search_posts(wh, "выборов", lang="kk", limit=1000)
    assert kazakh == []  # the shared corpus is Russian


def test_search_macro_and_command_line(searchable):
    wh, _ = searchable
    with wh.reader() as con:
        hits = con.execute("SELECT count(*) FROM search_posts('выборы')").fetchone()[0]
        described = con.execute("SELECT comment FROM duckdb_functions() WHERE function_name = 'search_posts'"
                                ).fetchone()[0]
    assert hits > 0 and "BM25" in described
    result = invoke("search", "парламентских выборов", "--db", str(wh.path), "--limit", "3", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("post_uid,score,published,") and len(result.stdout.splitlines()) >= 4


def test_kwic_by_lemma_finds_every_form_with_its_context(searchable, tmp_path):
    from qatysu.flows.search import kwic

    wh, texts = searchable
    found = kwic(wh, "выборам", lemma=True, window=4, limit=1000)
    assert found.term == "выборы"
    forms = {r[4].lower() for r in found.rows}
    assert {"выборы", "выборов"} <= forms and forms <= {"выборы", "выборов", "выборах", "выборам", "выборами"}
    expected = sum(len(ELECTIONS.findall(t or "")) for t in texts.values())
    assert len(found.rows) == expected
    for uid, _, _, left, word, right, _ in found.rows:
        assert len(left.split()) <= 4 and len(right.split()) <= 4
        assert word in texts[uid]
    exact = kwic(wh, "выборах", lemma=False, window=8, limit=1000)
    assert exact.rows and {r[4].lower() for r in exact.rows} == {"выборах"}
    out = tmp_path / "kwic.xlsx"
    result = invoke("kwic", "выборы", "--lemma", "--db", str(wh.path), "--out", str(out))
    assert result.returncode == 0, result.stderr
    import openpyxl

    sheet = openpyxl.load_workbook(out).active
    assert [c.value for c in sheet[1]] == ["post_uid", "published", "source_id", "left", "keyword", "right", "url"]
    assert sheet.max_row == len(found.rows) + 1 and sheet.freeze_panes == "A2"
    with wh.reader() as con:
        lemma_rows = con.execute("SELECT count(*) FROM kwic_lemma('выборы')").fetchone()[0]
    assert lemma_rows == expected


def test_search_follows_new_and_edited_posts(tmp_path):
    """Posts are searchable as soon as they are processed, and an edited post is found by its new words only."""
    from qatysu.flows.config import ProcessConfig
    from qatysu.flows.process import process_posts
    from qatysu.flows.search import search_posts
    from qatysu.warehouse import Warehouse, init_warehouse, upsert_posts
    from qatysu.warehouse.search import SearchUnavailable

    wh = Warehouse.at(tmp_path / "q.duckdb")
    init_warehouse(wh)
    posts = shared_posts(2000)
    first, later = posts[:1000], posts[1000:]
    with wh.writer() as con:
        upsert_posts(con, first)
    with pytest.raises(SearchUnavailable, match="qatysu process"):
        search_posts(wh, "выборов", limit=10, live=True)
    process_posts(wh, ProcessConfig(workers=1))
    with wh.writer() as con:
        upsert_posts(con, later)
    process_posts(wh, ProcessConfig(workers=1))

    def found() -> set[str]:
        columns, rows = search_posts(wh, "выборов", limit=5000, live=True)
        return {r[columns.index("post_uid")] for r in rows}

    with wh.reader(live=True) as con:
        uids = dict(con.execute("SELECT source_id || ':' || post_id, post_uid FROM posts").fetchall())
    def uid(p: dict) -> str:
        return uids[f"telegram:{p['source']}:{p['post_id']}"]

    later_expected = {uid(p) for p in later if ELECTIONS.search(p["text"])}
    assert later_expected and later_expected <= found()  # the second run's posts, with no index rebuilt

    edited = next(p for p in later if ELECTIONS.search(p["text"]))
    with wh.writer() as con:
        upsert_posts(con, [{**edited, "text": "Погода в Астане: ясно, без осадков."}])
    process_posts(wh, ProcessConfig(workers=1))
    assert uid(edited) not in found()
    assert uid(edited) in {r[0] for r in search_posts(wh, "погода", limit=5000, live=True)[1]}
