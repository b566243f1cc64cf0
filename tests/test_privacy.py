"""No raw personal identifier and no secret reaches the warehouse or a log: persons named as authors, as the origin
of a forward (Telegram export, t.me/s page, VK repost) or as the other side of a personal chat get the keyed hash;
channels and communities keep their handles; credentials and the author key are masked wherever they would be
logged."""

import json
from datetime import datetime, timezone

from api_server import ApiServer
from helpers import run_qatysu
from test_crawl_telegram import FAST

from qatysu.synthetic.preview_server import Channel, PreviewServer, PreviewSite
from qatysu.synthetic.telegram_render import RenderedPost
from qatysu.warehouse.privacy import author_hash

# Planted persons (names and ids) and secrets: none may appear anywhere.
PERSON_CHAT_ID, PERSON_NAME = 4815162342, "Жанар Планталиева"
FORWARD_ID, FORWARD_NAME = "user99887766", "Ерлан Подставной"
HIDDEN_NAME = "Скрытая Персона"
PAGE_HIDDEN_NAME = "Айдана Тайная"
VK_PERSON = 31415926
VK_TOKEN = "vk-planted-token-8a7b6c5d"
YT_KEY = "AIzaPlantedKey-1234567890"
PLANTED = [str(PERSON_CHAT_ID), PERSON_NAME, FORWARD_ID.removeprefix("user"), FORWARD_NAME, HIDDEN_NAME,
           PAGE_HIDDEN_NAME, str(VK_PERSON), VK_TOKEN, YT_KEY]

# A personal chat as Telegram Desktop writes it (export_output_json.cpp: "personal_chat", from_id "user<N>",
# forwarded_from with forwarded_from_id "user<N>" or "channel<N>", or a bare name for a hidden sender).
PERSONAL_CHAT = {
    "name": PERSON_NAME, "type": "personal_chat", "id": PERSON_CHAT_ID,
    "messages": [
        {"id": 1, "type": "message", "date": "2024-05-01T09:00:00", "date_unixtime": "1714554000",
         "from": PERSON_NAME, "from_id": f"user{PERSON_CHAT_ID}", "text": "Сайлауға барасың ба?"},
        {"id": 2, "type": "message", "date": "2024-05-01T09:05:00", "date_unixtime": "1714554300",
         "from": PERSON_NAME, "from_id": f"user{PERSON_CHAT_ID}", "forwarded_from": FORWARD_NAME,
         "forwarded_from_id": FORWARD_ID, "text": "Учаскеде кезек жоқ"},
        {"id": 3, "type": "message", "date": "2024-05-01T09:06:00", "date_unixtime": "1714554360",
         "from": PERSON_NAME, "from_id": f"user{PERSON_CHAT_ID}", "forwarded_from": HIDDEN_NAME,
         "text": "Явка к полудню 40%"},
        {"id": 4, "type": "message", "date": "2024-05-01T09:07:00", "date_unixtime": "1714554420",
         "from": PERSON_NAME, "from_id": f"user{PERSON_CHAT_ID}", "forwarded_from": "Tengrinews.kz",
         "forwarded_from_id": "channel1015431364", "text": "ЦИК опубликовал данные"},
    ],
}
T0 = datetime(2024, 5, 1, 9, 0, tzinfo=timezone.utc)
EPOCH = int(T0.timestamp())


def _vk(req):
    items = [{"id": i, "owner_id": -2718, "from_id": -2718, "date": EPOCH + 60 * i, "text": f"Репост {i}",
              "copy_history": [{"owner_id": VK_PERSON if i % 2 else -1000, "id": 5}]} for i in (2, 1)]
    return 200, {"response": {"count": 2, "items": items}}


def _youtube(req):
    return 403, {"error": {"code": 403, "message": f"API key {YT_KEY} is not valid for this project",
                           "errors": [{"reason": "keyInvalid"}]}}


def test_no_planted_name_or_secret_in_any_table_or_log(wh, tmp_path):
    export = tmp_path / "result.json"
    export.write_text(json.dumps(PERSONAL_CHAT, ensure_ascii=False), encoding="utf-8")
    site = PreviewSite({"sailau_news": Channel("sailau_news", [
        RenderedPost(1, T0, "Пост о выборах", views=10, forwarded_from=f"~{PAGE_HIDDEN_NAME}"),
        RenderedPost(2, T0, "Ещё пост", views=12, forwarded_from="tengrinews"),
    ], subscribers=5)})
    env = {"VK_TOKEN": VK_TOKEN, "YOUTUBE_API_KEY": YT_KEY}
    logs = []

    def qatysu(*args, extra_env=None):
        cut = args.index("--") if "--" in args else len(args)  # --db before the handles that follow --
        result = run_qatysu("--verbose", *args[:cut], "--db", str(wh.path), *args[cut:],
                            env={**env, **(extra_env or {})})
        logs.append(result.stdout + result.stderr)
        return result

    assert qatysu("import", "telegram-export", str(export)).returncode == 0
    with PreviewServer(site) as url:
        assert qatysu("crawl", "telegram", "sailau_news", "--verbose", *FAST,
                      extra_env={"QATYSU_TELEGRAM_BASE_URL": url}).returncode == 0
    with ApiServer(_vk) as url:
        assert qatysu("crawl", "vk", "--verbose", *FAST, "--", "-2718",
                      extra_env={"QATYSU_VK_API_URL": url}).returncode == 0
    with ApiServer(_youtube) as url:
        youtube = qatysu("crawl", "youtube", "dQw4w9WgXcQ", "--verbose", *FAST,
                         extra_env={"QATYSU_YOUTUBE_API_URL": url})
    assert youtube.returncode == 1 and "[secret]" in youtube.stderr  # the API's message, masked
    assert qatysu("process", "--workers", "1").returncode == 0
    assert qatysu("runs").returncode == 0
    key = wh.author_key_path.read_text().strip()

    with wh.reader(live=True) as con:
        tables = [f'"{schema}"."{t}"' for schema, t in con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables()").fetchall()]  # the search index's too
        dump = {t: str(con.execute(f"SELECT * FROM {t}").fetchall()) for t in tables}
        forwards = dict(con.execute("SELECT post_uid, forwarded_from FROM posts").fetchall())
        sources = {s for (s,) in con.execute("SELECT source_id FROM sources").fetchall()}
    for secret in [*PLANTED, key]:
        assert not [t for t, text in dump.items() if secret in text], secret
        assert not [log for log in logs if secret in log], secret

    person = author_hash(key.encode(), "telegram", f"user{PERSON_CHAT_ID}")
    assert f"telegram:{person}" in sources  # the personal chat, under the person's pseudonym
    chat = {uid.rsplit(":", 1)[1]: fwd for uid, fwd in forwards.items() if uid.startswith(f"telegram:{person}:")}
    assert chat == {"1": None, "2": author_hash(key.encode(), "telegram", FORWARD_ID),
                    "3": author_hash(key.encode(), "telegram", HIDDEN_NAME), "4": "Tengrinews.kz"}
    assert forwards["telegram:sailau_news:1"] == author_hash(key.encode(), "telegram", PAGE_HIDDEN_NAME)
    assert forwards["telegram:sailau_news:2"] == "tengrinews"
    assert forwards["vk:-2718:1"] == author_hash(key.encode(), "vk", str(VK_PERSON))
    assert forwards["vk:-2718:2"] == "-1000"
