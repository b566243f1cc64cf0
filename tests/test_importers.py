"""Importing files researchers already have, through the real qatysu command."""

import json

from helpers import invoke

EXPORT = {
    "name": "Наразылық KZ", "type": "public_channel", "id": 1001234567,
    "messages": [
        {"id": 1, "type": "service", "date": "2024-01-01T10:00:00", "date_unixtime": "1704085200",
         "action": "create_channel", "text": ""},
        {"id": 2, "type": "message", "date": "2024-01-02T15:00:00", "date_unixtime": "1704189600",
         "from": "Наразылық KZ", "from_id": "channel1234567", "author": "Әкімшілік",
         "text": ["Бүгін ", {"type": "bold", "text": "митинг"}, " өтеді ", {"type": "hashtag", "text": "#наразылық"}],
         "text_entities": [{"type": "plain", "text": "Бүгін "}, {"type": "bold", "text": "митинг"},
                           {"type": "plain", "text": " өтеді "}, {"type": "hashtag", "text": "#наразылық"}],
         "reactions": [{"type": "emoji", "count": 40, "emoji": "👍"}, {"type": "emoji", "count": 2, "emoji": "😡"}]},
        {"id": 3, "type": "message", "date": "2024-01-02T16:00:00", "date_unixtime": "1704193200",
         "from": "Айжан", "from_id": "user777", "reply_to_message_id": 2, "edited": "2024-01-02T16:05:00",
         "forwarded_from": "Tengrinews", "forwarded_from_id": "channel1015431364", "media_type": "video_file",
         "text": "Қосыламын!"},
    ],
}


def test_telegram_export_is_imported_once_with_its_fields(wh, tmp_path):
    f = tmp_path / "result.json"
    f.write_text(json.dumps(EXPORT, ensure_ascii=False), encoding="utf-8")
    first = invoke("import", "telegram-export", str(f), "--source", "narazylyq_kz", "--db", str(wh.path))
    again = invoke("import", "telegram-export", str(f), "--source", "narazylyq_kz", "--db", str(wh.path))
    assert first.returncode == 0 and "2 new posts" in first.stdout, first.stderr
    assert again.returncode == 0 and "0 new posts, 2 updated" in again.stdout
    with wh.reader() as con:
        rows = con.execute(
            "SELECT post_uid, url, published_at::VARCHAR, text, reactions, reply_to, forwarded_from, author_hash, "
            "extra->>'$.hashtags[0]', extra->>'$.edited', extra->>'$.media[0]' FROM posts ORDER BY post_uid").fetchall()
        metrics = con.execute("SELECT count(*) FROM post_metrics").fetchone()[0]
    assert rows[0][:7] == ("telegram:narazylyq_kz:2", "https://t.me/narazylyq_kz/2", "2024-01-02 10:00:00+00",
                           "Бүгін митинг өтеді #наразылық", 42, None, None)
    assert rows[0][8:] == ("наразылық", "false", None)
    assert rows[1][:7] == ("telegram:narazylyq_kz:3", "https://t.me/narazylyq_kz/3", "2024-01-02 11:00:00+00",
                           "Қосыламын!", None, "2", "Tengrinews")
    assert rows[1][9:] == ("true", "video_file")
    assert rows[0][7] and rows[1][7] and rows[0][7] != rows[1][7] and "user777" not in str(rows)
    assert metrics == 2  # only post 2 shows counters (exports carry no views), once per import


def test_full_account_export_and_malformed_json(wh, tmp_path):
    nested = tmp_path / "full.json"
    nested.write_text(json.dumps({"about": "x", "chats": {"list": [EXPORT]}}), encoding="utf-8")
    ok = invoke("import", "telegram-export", str(nested), "--db", str(wh.path))
    assert ok.returncode == 0 and "2 new posts" in ok.stdout
    broken = tmp_path / "broken.json"
    broken.write_text('{"name": "x", "messages": [', encoding="utf-8")
    bad = invoke("import", "telegram-export", str(broken), "--db", str(wh.path))
    assert bad.returncode == 1 and "not valid JSON" in bad.stderr


def test_csv_with_mapped_columns_regions_and_a_bad_row(wh, tmp_path):
    f = tmp_path / "posts.csv"
    f.write_text(
        "network,source,post_id,published_at,text,views,comments,region,author\n"
        "vk,club_oskemen,10,2024-02-01T09:00:00+05:00,Тарифы на отопление снова выросли,1500,12,ВКО,id42\n"
        "vk,club_oskemen,11,2024-02-02T09:00:00+05:00,Собираем подписи,-5,,ВКО,id43\n"
        "vk,club_oskemen,12,2024-02-03,Жалоба в акимат,80,,Нарния,\n",
        encoding="utf-8",
    )
    refused = invoke("import", "csv", str(f), "--map", "network=platform", "--db", str(wh.path))
    assert refused.returncode == 1
    message = " ".join(refused.stderr.split())
    assert "line 3: views '-5' is not a whole number" in message
    assert "line 4: unknown region 'Нарния'" in message
    with wh.reader(live=True) as con:
        assert con.execute("SELECT count(*) FROM posts").fetchone()[0] == 0
    partial = invoke("import", "csv", str(f), "--map", "network=platform", "--skip-bad", "--db", str(wh.path))
    assert partial.returncode == 0 and "1 new posts" in partial.stdout
    with wh.reader() as con:
        row = con.execute("SELECT post_uid, region_code, views, comments, reactions, published_at::VARCHAR "
                          "FROM posts").fetchone()
        runs = con.execute("SELECT spider, status, items, errors, skipped FROM crawl_runs ORDER BY started_at"
                           ).fetchall()
    assert row == ("vk:club_oskemen:10", "KZ-63", 1500, 12, None, "2024-02-01 04:00:00+00")
    assert runs == [("import-csv", "failed (bad rows refused)", 0, 2, 0), ("import-csv", "finished", 1, 0, 2)]


def test_jsonl_import_and_broken_lines(wh, tmp_path):
    f = tmp_path / "posts.jsonl"
    good = {"platform": "youtube", "source": "UCabc", "post_id": "c1", "published_at": "2024-03-01T12:00:00Z",
            "text": "Голосуйте!", "reactions": 7}
    f.write_text(json.dumps(good, ensure_ascii=False) + "\n{not json\n", encoding="utf-8")
    refused = invoke("import", "jsonl", str(f), "--db", str(wh.path))
    assert refused.returncode == 1 and "line 2: not valid JSON" in refused.stderr
    f.write_text(json.dumps(good, ensure_ascii=False) + "\n", encoding="utf-8")
    assert invoke("import", "jsonl", str(f), "--db", str(wh.path)).returncode == 0
    with wh.reader() as con:
        assert con.execute("SELECT post_uid, reactions FROM posts").fetchall() == [("youtube:UCabc:c1", 7)]


def test_sources_registry_from_yaml_and_the_command_line(wh, tmp_path):
    f = tmp_path / "sources.yaml"
    f.write_text("sources:\n"
                 "  - {platform: telegram, handle: '@Akimat_Oskemen', kind: akimat, region: ВКО}\n"
                 "  - {platform: telegram, handle: sailau_news, kind: news}\n", encoding="utf-8")
    assert invoke("sources", "import", str(f), "--db", str(wh.path)).returncode == 0
    added = invoke("sources", "add", "vk", "club1", "--kind", "activist", "--region", "Шымкент", "--db", str(wh.path))
    assert added.returncode == 0
    bad = invoke("sources", "add", "vk", "club2", "--region", "Гондор", "--db", str(wh.path))
    assert bad.returncode == 1 and "unknown region 'Гондор'" in bad.stderr
    listed = invoke("sources", "list", "--format", "json", "--db", str(wh.path))
    rows = {r["source_id"]: r for r in map(json.loads, listed.stdout.splitlines())}
    assert set(rows) == {"telegram:akimat_oskemen", "telegram:sailau_news", "vk:club1"}
    assert rows["telegram:akimat_oskemen"]["region_code"] == "KZ-63" and rows["vk:club1"]["kind"] == "activist"
