"""The petitions spider against a local server: the eGov portal's list API and a change.org page.

The bodies below are NOT saved responses (no public repository holds one). They are shaped from the field names
that public scrapers of these sites read: the portal's ``/api/public/v1/petitions/short?size=&page=`` with
``content``, ``last`` and per petition ``id`` (a UUID), ``title``, ``signersCount``, ``applyDate``; a change.org
page's ``window.changeTargetingData`` with ``petition.id``, ``createdAt``, ``user``, ``signatureCount.total`` and
``.goal`` (and ``undefined`` values, which those scrapers replace). The values are invented; the expected ones are
read off these bodies.
"""

from datetime import datetime, timezone

from api_server import ApiServer
from helpers import run_qatysu

FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=false"]
LIST = "/api/public/v1/petitions/short"
A, B, C, NEW = ("5e230abb-839e-4c35-ab68-83434354c8bf", "0b9d2f6e-1c4a-4f0e-9a51-2d7c3e8b6a10",
                "c41f7a92-6d3e-48b1-b0f5-93a2e1d4c7e8", "7a1e5c3d-2b4f-4e6a-8c9d-0f1e2d3c4b5a")


def portal_item(pid: str, title: str, signers, applied: str) -> dict:
    return {"id": pid, "title": title, "signersCount": signers, "applyDate": applied}


def change_page(total: int) -> str:
    return f"""<!DOCTYPE html><html><head>
<script>window.changeTargetingData = {{"reactFe":true,"appState":{{"countryCode":"KZ","locale":"ru-RU"}},
"viewer":{{"user":{{}}}},"petition":{{"id":"28767136","user":{{"id":"1150815096","displayName":"Айгерим С."}},
"createdAt":"2024-03-10T09:00:00Z","signatureCount":{{"total":{total},"displayed":{total},"goal":25000}},
"weeklySignatureCount":undefined,"tags":[]}},"recruiter":{{}}}};</script>
<meta property="og:title" content="Сохраним сквер в Алматы">
<meta property="og:description" content="Просим акимат Алматы не вырубать деревья в сквере.">
</head><body><div id="root"></div></body></html>"""


def test_two_crawls_one_bad_item_and_a_refresh(wh):
    site = {
        0: {"content": [portal_item(A, "Об освещении улиц в Шымкенте", 1200, "2024-05-02T10:15:30.512"),
                        portal_item(B, "О ремонте школы", 80, "2024-04-20T08:00:00")], "last": False},
        1: {"content": [portal_item(C, "Қоғамдық көлік туралы", "много", "2024-04-11T12:00:00"),  # malformed
                        portal_item("d03e", "Об автобусах", 15, "2024-04-10T12:00:00")], "last": True},
        "page": change_page(24845),
    }

    def route(req):
        if req.path == LIST:
            return 200, site[int(req.params["page"])]
        if req.path == "/p/save-the-square":
            return 200, site["page"]
        return 404, {}

    server = ApiServer(route)
    page_url = "https://www.change.org/p/save-the-square?utm_source=share_petition"
    with server as url:
        env = {"QATYSU_PETITIONS_BASE_URL": url}
        crawl = lambda *extra: run_qatysu("crawl", "petitions", "epetition.kz", page_url, "--db",  # noqa: E731
                                          str(wh.path), *FAST, *extra, env=env)
        first = crawl()
        # a week later: a new petition on top, more signatures everywhere; the bad item is still bad
        site[0]["content"] = [portal_item(NEW, "О тарифах на воду", 5, "2024-05-09T07:00:00"),
                              portal_item(A, "Об освещении улиц в Шымкенте", 2100, "2024-05-02T10:15:30.512")]
        site[1]["content"].insert(0, portal_item(B, "О ремонте школы", 95, "2024-04-20T08:00:00"))
        site["page"] = change_page(25010)
        second = crawl()
        third = crawl("--refresh")

    assert first.returncode == 0, first.stderr
    assert "4 new petitions, 0 updated, 1 unreadable petitions skipped, 0 errors" in first.stdout
    assert f"petition egov {C} skipped: signatures 'много'" in first.stderr
    assert [int(r.params["page"]) for r in server.seen if r.path == LIST][:2] == [0, 1]
    # every crawl reads every listed petition again: a new reading of each, with or without --refresh
    assert "1 new petitions, 4 updated, 1 unreadable petitions skipped" in second.stdout, second.stderr
    assert "0 new petitions, 5 updated, 1 unreadable petitions skipped" in third.stdout, third.stderr
    with wh.reader() as con:
        petitions = con.execute("SELECT petition_uid, url, title, created_at, threshold FROM v_petitions "
                                "ORDER BY petition_uid").fetchall()
        readings = dict(con.execute("SELECT petition_uid, list(signatures ORDER BY observed_at) "
                                    "FROM petition_signatures GROUP BY ALL").fetchall())
        author = con.execute("SELECT author_hash FROM petitions WHERE platform = 'change.org'").fetchone()[0]
        post = con.execute("SELECT source_id, text FROM posts WHERE post_uid = ?", [f"petition:egov:{A}"]).fetchone()
    assert [p[0] for p in petitions] == sorted(["petition:change.org:28767136", f"petition:egov:{A}",
                                                f"petition:egov:{B}", "petition:egov:d03e", f"petition:egov:{NEW}"])
    assert petitions[0][1:] == ("https://www.change.org/p/save-the-square", "Сохраним сквер в Алматы",
                                datetime(2024, 3, 10, 9, tzinfo=timezone.utc), 25000)
    assert readings[f"petition:egov:{A}"] == [1200, 2100, 2100]
    assert readings[f"petition:egov:{B}"] == [80, 95, 95]
    assert readings[f"petition:egov:{NEW}"] == [5, 5] and readings["petition:egov:d03e"] == [15, 15, 15]
    assert readings["petition:change.org:28767136"] == [24845, 25010, 25010]
    assert author is not None and "1150815096" not in author
    assert post == ("petition:egov", "Об освещении улиц в Шымкенте")
