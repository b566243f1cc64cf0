"""Files as researchers have them: Excel's cp1251 and semicolons, UTF-16, byte-order marks, broken rows in the
middle, counters no warehouse column can hold, posts of megabytes, Telegram exports of every shape."""

from __future__ import annotations

import codecs
import json

import pytest

from qatysu.crawlers.importers.load import ImportRefused, Staging, import_file
from qatysu.crawlers.importers.tables import FileRefused, TableFile, file_staging
from qatysu.crawlers.importers.encoding import EncodingRefused
from qatysu.crawlers.importers.telegram_export import ExportError, stage_export
from qatysu.warehouse.post_import import EXPORT_COLUMNS, FILE_COLUMNS

from helpers import invoke

HEADER = "platform,source,post_id,published_at,text,views\n"
ROWS = [
    'telegram,sailau_kz,1,2024-03-01T09:00:00+05:00,"Явка в ВКО — 61,2 %.\nПодробнее ниже",1200\n',
    "telegram,sailau_kz,2,2024-03-01T10:00:00Z,Сайлауға қатысыңыз!,300\n",
    'vk,club_oskemen,3,2024-03-01 11:00:00,"Тарифы ""снова"" выросли",\n',
]


def load(wh, path, fmt="csv", *, skip_bad=False, encoding=None, mapping=None):
    table = TableFile(path, fmt, encoding, mapping)
    return import_file(wh, file_staging(table), FILE_COLUMNS, name=f"import-{fmt}", args={"file": str(path)},
                       skip_bad=skip_bad)


def stored(wh):
    with wh.reader(live=True) as con:
        return con.execute("SELECT post_uid, text, views, published_at::VARCHAR FROM posts ORDER BY post_uid"
                           ).fetchall()


def runs(wh):
    with wh.reader(live=True) as con:
        return con.execute("SELECT status, items, errors, skipped FROM crawl_runs ORDER BY started_at").fetchall()


EXPECTED = [
    ("telegram:sailau_kz:1", "Явка в ВКО — 61,2 %.\nПодробнее ниже", 1200, "2024-03-01 04:00:00+00"),
    ("telegram:sailau_kz:2", "Сайлауға қатысыңыз!", 300, "2024-03-01 10:00:00+00"),
    ("vk:club_oskemen:3", 'Тарифы "снова" выросли', None, "2024-03-01 11:00:00+00"),
]


@pytest.mark.parametrize("encoding, delimiter", [("utf-8", ","), ("utf-8-sig", ","), ("utf-16", ","),
                                                 ("cp1251-as-excel", ";"), ("utf-16-le", "\t")])
def test_encodings_and_delimiters_excel_and_windows_write(wh, tmp_path, encoding, delimiter):
    text = (HEADER + "".join(ROWS)).replace(",", delimiter).replace("61" + delimiter + "2", "61,2")
    if encoding == "cp1251-as-excel":  # Kazakh letters have no cp1251 code: Excel would have lost that row
        text = text.replace("Сайлауға қатысыңыз!", "Голосуйте!")
    f = tmp_path / "posts.csv"
    f.write_bytes(text.encode("cp1251" if encoding == "cp1251-as-excel" else encoding))
    summary = load(wh, f)
    assert (summary.new, summary.skipped) == (3, [])
    expected = [r if encoding != "cp1251-as-excel" or r[0] != "telegram:sailau_kz:2" else (*r[:1], "Голосуйте!", *r[2:])
                for r in EXPECTED]
    assert stored(wh) == expected


def test_an_encoding_qatysu_does_not_read_is_refused_naming_the_file(wh, tmp_path):
    f = tmp_path / "posts.csv"
    f.write_bytes((HEADER + "telegram,c,1,2024-03-01,Dégât à côté de l'élection — où est-ce ?,1\n" * 30
                   ).encode("mac_roman"))
    with pytest.raises(EncodingRefused, match="posts.csv"):
        load(wh, f)
    with pytest.raises(EncodingRefused, match="--encoding koi8-r"):
        load(wh, f, encoding="koi8-r")
    assert stored(wh) == [] and runs(wh)[-1][0].startswith("failed")


def test_a_broken_row_in_the_middle_refuses_the_file_then_skip_bad_keeps_every_good_row(wh, tmp_path):
    f = tmp_path / "posts.csv"
    lines = [HEADER, ROWS[0],  # lines 2-3 (a line break inside a quoted field)
             'telegram,sailau_kz,4,2024-03-01T12:00:00Z,"unclosed quote,5\n',  # line 4
             ROWS[1],  # line 5
             "telegram,sailau_kz,5,2024-03-01T12:00:00Z,one,field,too,many\n",  # line 6
             "telegram,sailau_kz,6,2024-03-01T12:00:00Z,\xff stray byte,1\n",  # line 7
             "telegram,   ,7,2024-03-01T12:00:00Z,blank source,1\n",  # line 8
             ROWS[2]]  # line 9
    f.write_bytes("".join(lines).encode("utf-8").replace("\xff".encode(), b"\xff"))
    with pytest.raises(ImportRefused) as refused:
        load(wh, f)
    message = str(refused.value)
    assert "4 bad row(s); nothing was imported" in message
    for line, problem in ((4, "a quoted field is never closed"), (6, "8 fields where the header has 6"),
                          (7, "byte 0xff is not valid in the file's encoding"), (8, "source is empty")):
        assert f"line {line}: {problem}" in message
    assert stored(wh) == []
    summary = load(wh, f, skip_bad=True)
    assert [b.line for b in summary.skipped] == [4, 6, 7, 8] and summary.new == 3
    assert stored(wh) == EXPECTED
    assert runs(wh) == [("failed (bad rows refused)", 0, 4, 0), ("finished", 3, 0, 4)]


def test_values_the_upsert_cannot_hold_are_refused_before_anything_is_written(wh, tmp_path):
    f = tmp_path / "posts.jsonl"
    good = {"platform": "telegram", "source": "c", "post_id": 1, "published_at": "2024-03-01T09:00:00Z",
            "text": "ok"}
    bad = [{**good, "post_id": 2, "views": 2**63}, {**good, "post_id": 3, "text": {"html": "<b>x</b>"}},
           {**good, "post_id": "   "}, {**good, "post_id": 4, "published_at": "2099-01-01"},
           {**good, "post_id": 5, "platform": "myspace"}, [1, 2], {**good, "post_id": 6, "reactions": -1},
           {**good, "post_id": 7, "text": 42}]
    f.write_text("\n".join(json.dumps(x) for x in [good, *bad]) + "\n\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        load(wh, f, "jsonl")
    problems = dict(line.split(": ", 1) for line in str(refused.value).splitlines()[1:])
    assert problems == {
        "  line 2": f"views '{2**63}' is not a whole number from 0 to {2**63 - 1}",
        "  line 3": "text is a JSON object, not a string",
        "  line 4": "post_id is empty",
        "  line 5": "published_at '2099-01-01' is before 1990 or after tomorrow",
        "  line 6": "platform 'myspace' is not one of telegram, vk, youtube, news, petition, import",
        "  line 7": "not a JSON object",
        "  line 8": "reactions '-1' is not a whole number from 0 to 9223372036854775807",
        "  line 9": "text is a JSON ubigint, not a string",
    }
    assert stored(wh) == [] and runs(wh) == [("failed (bad rows refused)", 0, 8, 0)]


def test_a_post_of_ten_megabytes_imports(wh, tmp_path):
    long = "Сайлау " * 1_500_000  # 10.5 MB in UTF-8
    for fmt, body in (("csv", HEADER + f'telegram,c,1,2024-03-01T09:00:00Z,"{long}",1\n'),
                      ("jsonl", json.dumps({"platform": "telegram", "source": "c", "post_id": 2, "text": long,
                                            "published_at": "2024-03-01T09:00:00Z"}, ensure_ascii=False) + "\n")):
        f = tmp_path / f"long.{fmt}"
        f.write_text(body, encoding="utf-8")
        assert load(wh, f, fmt).new == 1
    with wh.reader(live=True) as con:
        assert con.execute("SELECT min(length(text)) FROM posts").fetchone()[0] == len(long)


def test_the_header_must_name_the_required_columns(wh, tmp_path):
    f = tmp_path / "posts.csv"
    f.write_text("net,source,post_id,date,text\ntelegram,c,1,2024-03-01,x\n", encoding="utf-8")
    with pytest.raises(FileRefused, match="lacks platform, published_at"):
        load(wh, f)
    assert load(wh, f, mapping={"net": "platform", "date": "published_at"}).new == 1


EXPORT = {"name": "Сайлау", "type": "public_channel", "id": 1001, "messages": [
    {"id": 1, "type": "message", "date": "2024-01-02T15:00:00", "date_unixtime": "1704189600",
     "text": [None, "Бүгін ", {"type": "bold", "text": None}, {"type": "bold", "text": "митинг"}]},
    "not a message",
    {"id": 3, "type": "message", "date_unixtime": "99999999999999999999", "text": "far future"},
    {"id": True, "type": "message", "date_unixtime": "1704189600", "text": "boolean id"},
    {"id": 5, "type": "message", "date_unixtime": "1704189600", "text": "huge reactions",
     "reactions": [{"emoji": "👍", "count": 2**70}]},
    {"id": 6, "type": "service", "date_unixtime": "1704189600", "action": "pin_message"},
]}


def test_telegram_exports_of_every_shape(wh, tmp_path):
    f = tmp_path / "result.json"
    f.write_text(json.dumps(EXPORT, ensure_ascii=False), encoding="utf-8")

    def run(**kw):
        return import_file(wh, Staging(lambda con: stage_export(con, f, "sailau") or True, unit="message"),
                           EXPORT_COLUMNS, name="import-telegram-export", args={"file": str(f)}, **kw)

    with pytest.raises(ImportRefused) as refused:
        run()
    assert [line.strip().split(":")[0] for line in str(refused.value).splitlines()[1:]] == [
        "message 2", "message 3", "message 4", "message 5"]
    assert "date_unixtime '99999999999999999999' is not a time" in str(refused.value)
    summary = run(skip_bad=True)
    assert summary.new == 1
    assert stored(wh) == [("telegram:sailau:1", "Бүгін митинг", None, "2024-01-02 10:00:00+00")]
    personal = {"name": "Айжан", "type": "personal_chat", "id": 777, "messages": [
        {"id": 11, "type": "message", "date_unixtime": "1704189600", "from_id": "user777", "text": "сәлем"}]}
    f.write_text(json.dumps(personal, ensure_ascii=False), encoding="utf-8")
    assert run().new == 1
    for shape in ([], {"messages": "none"}, {"chats": {"list": "x"}}):
        f.write_text(json.dumps(shape), encoding="utf-8")
        with pytest.raises(ExportError, match="not a Telegram Desktop export"):
            run()
    f.write_bytes(codecs.BOM_UTF16_LE + "{}".encode("utf-16-le"))
    with pytest.raises(ExportError, match="not UTF-8"):
        run()
    assert all(status != "running" for status, *_ in runs(wh))


def test_cli_imports_excel_cp1251_and_reports_true_lines(wh, tmp_path):
    f = tmp_path / "posts.csv"
    f.write_bytes((HEADER + ROWS[0] + "telegram,x,9,2024-03-01,Жалоба,много\n").replace(",", ";")
                  .replace("61;2", "61,2").encode("cp1251"))
    refused = invoke("import", "csv", str(f), "--db", str(wh.path))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "line 4: views 'много' is not a whole number" in " ".join(refused.stderr.split())
    ok = invoke("import", "csv", str(f), "--skip-bad", "--encoding", "cp1251", "--db", str(wh.path))
    assert ok.returncode == 0 and "1 new posts, 0 updated, 1 bad rows skipped" in " ".join(ok.stdout.split())
    assert stored(wh) == EXPECTED[:1]
