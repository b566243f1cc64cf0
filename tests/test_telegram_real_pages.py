"""The t.me/s parser on saved real pages (tests/pages/telegram/, sources in tests/pages/SOURCES.md).

Every expected value below was written by reading the saved HTML as a browser shows it: ``<br>`` is a line
break, formatting keeps its words, the indentation a saved page gained from a pretty-printer is one space.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from qatysu.crawlers.telegram_page import parse_channel_page

from helpers import ROOT

PAGES = ROOT / "tests" / "pages" / "telegram"
UTC = timezone.utc


def _posts(name: str) -> dict[int, dict]:
    page = parse_channel_page((PAGES / name).read_bytes())
    assert page.skipped == 0
    return {p["post_id"]: p for p in page.posts}


@pytest.fixture(scope="module")
def topwar() -> dict[int, dict]:
    return _posts("any2feed/full.html")


def test_a_whole_page_of_a_russian_channel(topwar):
    page = parse_channel_page((PAGES / "any2feed/full.html").read_bytes())
    assert sorted(topwar) == [70989, 70990, 70992, 70995, 70996, 70997, 70998, 70999, 71000, 71006, 71007, 71008]
    assert page.before == 70989
    assert page.channel["title"] == "Военное обозрение"
    assert page.channel["subscribers"] == 109_000
    assert page.channel["description"] == ("Официальный канал сайта topwar.ru\n\nДля обратной связи: "
                                           "@topwar_feedlback_bot\n\nПо рекламе - писать @effective100")
    first = topwar[70989]
    assert first["text"] == ("В Санкт-Петербурге в небо над городом подняли истребители из-за неизвестного объекта"
                             " в воздухе, аэропорт Пулково не принимает самолеты, сообщает Baza.\nСудя по сервису "
                             "Flightradar, гражданские самолеты не приближаются к Санкт-Петербургу.")
    assert first["published_at"] == datetime(2023, 2, 28, 7, 47, 53, tzinfo=UTC)
    assert first["views"] == 37_200
    assert first["url"] == "https://t.me/topwar_official/70989"
    assert first["extra"]["media"] == ["photo"] and first["forwarded_from"] is None
    assert topwar[70990]["text"] == "Власти Петербурга подтвердили, что аэропорт Пулково временно не принимает самолеты."
    assert topwar[70995]["text"] == ('План "Ковер" отменен, небо над Санкт-Петербургом открывают, сообщает '
                                     "источник РЕН ТВ.")


def test_bold_heading_holding_line_breaks_keeps_words_apart_and_breaks_in_place(topwar):
    text = topwar[70998]["text"]
    assert text.startswith("Новые ракетные корабли ВМФ РФ с Калибрами вышли на учения в Балтийское море\n\n"
                           'Малые ракетные корабли проектов 22800 "Каракурт" и 21631 "Буян-М"')
    assert '— уточнили в пресс-службе.\n\nВ рамках учений экипажам' in text
    assert text.endswith("для уклонения от противокорабельных ракет противника.")
    assert text.count("\n") == 6
    assert topwar[70998]["forwarded_from"] == "Belarus_VPO"
    assert topwar[70997]["text"] == (
        "Минобороны России сообщило, что дежурными силами Западной зоны ответственности за ПВО проведена "
        "тренировка по взаимодействию с гражданскими органами управления воздушным движением.\n\nОтработаны "
        "вопросы обнаружения, перехвата и идентификации предполагаемой цели нарушителя, а также взаимодействия "
        "с экстренными службами. Были задействованы истребители из состава дежурных сил ПВО.")


def test_an_album_caption_is_stored_once(topwar):
    album = topwar[70992]
    assert album["text"] == ("Сегодня ночью в Республике Адыгея упал неизвестный летательный аппарат, обломки "
                             "реактивного двигателя от которого опубликовал глава региона. Предположительно, обломки "
                             "принадлежат украинскому БПЛА Ту-141 или Ту-143.")
    assert album["extra"]["album"] == 3 and album["extra"]["media"] == ["photo", "video"]
    assert topwar[71000]["text"] == "Последствия ночного удара БПЛА-камикадзе ВСУ по нефтебазе в Туапсе сегодня ночью."
    assert topwar[71000]["extra"]["album"] == 6


def test_forward_from_a_channel_with_a_link_preview_outside_the_text(topwar):
    post = topwar[70996]
    assert post["forwarded_from"] == "yaremshooter"
    assert post["text"].startswith("Информация о том, что подразделения ЧВК «Вагнер» подошли к самолетику в Бахмуте "
                                   "на расстояние 180 метров, пока не соответствует действительности.")
    assert post["text"].endswith("на фоне стелы с МиГ-17.\n\n@yaremshooter")
    assert "Милитарист" not in post["text"]
    assert post["extra"]["preview"] == {
        "url": "http://t.me/infantmilitario/93419", "site": "Telegram", "title": "Милитарист",
        "description": "Сообщают, что стелу с истребителем МиГ-17ПФ в центре Бахмута и передовые подразделения "
                       "ЧВК «Вагнера» разделяют 180 метров"}
    assert post["extra"]["links"][0] == "https://t.me/infantmilitario/93419"
    assert post["extra"]["mentions"] == ["yaremshooter"]
    assert [topwar[i]["forwarded_from"] for i in (71006, 71007, 71008)] == ["vysokygovorit", "dimsmirnov175",
                                                                          "ImpNavigator"]
    assert topwar[71007]["text"].count("\n") == 3 and "информацией. \nПредстоит" in topwar[71007]["text"]


@pytest.mark.parametrize("name, post_id, expected", [
    ("any2feed/message_text.html", 70991, {
        "source": "topwar_official", "views": 33_400,
        "published_at": datetime(2023, 2, 28, 8, 48, 1, tzinfo=UTC),
        "text": "Неопознанный летающий объект замечен в 160 – 200 км от Петербурга\n\nПо данным «Фонтанки», такую "
                "информацию министерство обороны по своим каналам сообщило в службу аэропорта Пулково. В связи с "
                "этим по установленной процедуре петербургский аэропорт пока не принимает самолёты и не даёт "
                "разрешения на взлёт. Какой-либо другой информации Минобороны в гражданские службы не сообщает.\n\n"
                "Источник, близкий к Смольному, подтвердил, что небо закрыто из-за неопознанного летающего "
                "объекта. В воздух подняты истребители. Читатели «Фонтанки» рассказывают, что услышать их можно "
                "даже в центре: «Звуки как на параде»."}),
    ("any2feed/message_link_preview.html", 22360, {
        "source": "oper_goblin", "views": 226_200, "text": "https://vnnews.ru/georgiy-zotov-okkupaciya-volosatym-kr/",
        "published_at": datetime(2023, 2, 27, 7, 33, 14, tzinfo=UTC)}),
    ("any2feed/message_link_preview_text_only.html", 22368, {
        "views": 246_800,
        "text": "http://publication.pravo.gov.ru/Document/View/0001202302270011?index=7&rangeSize=1"}),
    ("any2feed/message_link_preview_video.html", 11226, {
        "source": "fighter_bomber", "views": 69_400, "text": "Жениться вам, барин, пора! 😁\n\nhttps://t.me/shalnyak/5410",
        "published_at": datetime(2023, 3, 1, 7, 37, 2, tzinfo=UTC)}),
    ("any2feed/message_media_file.html", 16936, {
        "forwarded_from": "kremlinprachka", "views": 171_900,
        "text": "Центр изучения новых коммуникаций подготовил исследование: «Оппозиционные проекты, запущенные или "
                "получившие дополнительное финансирование на фоне СВО»"}),
    ("any2feed/message_media_forwarded_from.html", 22358, {
        "forwarded_from": "dimsmirnov175", "views": 214_400,
        "text": "Британская разведка выяснила, почему Ким Чен Ын начал выводить дочку в свет"}),
    ("any2feed/message_media_photo_and_video.html", 46908, {
        "source": "anna_news",
        "text": "Ночью над Белгородом сбили 3 беспилотника\n\nОни упали на улицы города.\n\nСообщается, что на себе "
                "БПЛА несли взрывчатку из пластида.\n\n#Белгород #Беспилотники\n\n@anna_news"}),
    ("any2feed/message_media_round_video.html", 3495, {
        "source": "bolshiepushki", "text": None, "views": 54_200,
        "published_at": datetime(2023, 3, 1, 9, 35, 31, tzinfo=UTC)}),
    ("any2feed/message_poll.html", 488, {"source": "it_begin", "text": "Как лучше?", "views": 1_100}),
    ("any2feed/message_sticker.html", 5, {"text": None, "author": "🅰️User", "views": 1}),
    ("any2feed/message_voice.html", 939, {
        # an unlinked origin is a person's (or hidden): pseudonymised when stored
        "forwarded_from": None, "forwarded_from_person": "Спортивный Екб", "views": 746,
        "published_at": datetime(2018, 4, 24, 15, 28, 46, tzinfo=UTC),
        "text": "Обсудили:\n\n- Сталина не забыть\n- Плохие фильмы\n- Смешные переводы\nможно, матерные - нет\n\n"
                "Слушайте: @kakberadio\nПишите нам: @kakberadiobot"}),
    ("any2feed/message_with_from_author.html", 4, {
        "text": "test", "author": "🅰️rkadiy Ivanov", "published_at": datetime(2023, 2, 28, 16, 38, 34, tzinfo=UTC)}),
    ("tchan/text_message_multiline.html", 62, {
        "source": "tchantest", "text": "Bigger\ntext\nmessage\nnumber\n34", "views": 2,
        "published_at": datetime(2023, 2, 24, 8, 1, 26, tzinfo=UTC)}),
    ("tchan/forwarded_text_message.html", 89, {"text": ";)", "forwarded_from": "some_user"}),
    ("tchan/text_message_signed_not_edited.html", 79, {"text": "Signed and not edited", "author": "Álvaro Justen"}),
    ("tchan/signed_edited_text_message.html", 5, {
        "text": "Hello! Signed and edited message", "author": "Álvaro Justen",
        "published_at": datetime(2023, 2, 24, 7, 29, 57, tzinfo=UTC)}),
    ("tchan/unsigned_text_message.html", 6, {"text": "Unsigned message", "author": None}),
    ("tchan/emoji_message.html", 7, {"text": "👍"}),
    ("tchan/text_reply_to_video.html", 20, {"text": "Reply to a video (not recorded in telegram)", "reply_to": "19"}),
    ("tchan/text_message_link_no_preview.html", 24, {"text": "This is a message with a link\n\nhttps://brasil.io/"}),
    ("tchan/text_message_link_with_right_preview.html", 81, {"text": "link with preview https://python.org/"}),
    ("tchan/photo_single.html", 16, {"text": "Picture by telegram camera"}),
    ("tchan/photo_multiple.html", 14, {"text": "Multiple pics"}),
    ("tchan/multimedia_message.html", 84, {"text": "Multiple videos and pictures", "views": 436_600}),
    ("tchan/video_single.html", 18, {"text": "Video by telegram camera"}),
    ("tchan/video_single_2.html", 19, {"text": None}),
    ("tchan/video_big.html", 5343, {"source": "some_random_user", "text": "some text", "views": 436_600,
                                    "published_at": datetime(2023, 1, 30, 23, 30, 40, tzinfo=UTC)}),
    ("tchan/audio_document.html", 12, {"text": "Povo hebreu"}),
    ("tchan/audio_message.html", 13, {"text": None}),
    ("tchan/sticker_message.html", 9, {"text": None}),
    ("tchan/round_video_single.html", 17, {"text": None}),
    ("tchan/location_message.html", 10, {"text": None}),
    ("tchan/poll.html", 11, {"text": "Let's do a quick poll quizz mode"}),
    ("tchan/service_message_channel_video_changed.html", 82, {"text": '+ "Channel video changed"', "views": 3_100_000}),
])
def test_message_fields(name, post_id, expected):
    post = _posts(name)[post_id]
    for field, value in expected.items():
        assert post[field] == value, field


@pytest.mark.parametrize("name, edited", [
    ("tchan/signed_edited_text_message.html", True), ("tchan/text_message_signed_not_edited.html", False),
    ("any2feed/message_link_preview_video.html", True), ("tchan/message_weird_preview.html", True),
])
def test_edit_marks(name, edited):
    (post,) = _posts(name).values()
    assert post["extra"]["edited"] is edited


@pytest.mark.parametrize("name, media", [
    ("any2feed/message_media_file.html", ["document"]), ("any2feed/message_voice.html", ["voice"]),
    ("any2feed/message_media_round_video.html", ["video"]), ("any2feed/message_sticker.html", ["sticker"]),
    ("tchan/location_message.html", ["location"]), ("tchan/poll.html", ["poll"]),
    ("tchan/photo_multiple.html", ["photo"]),
])
def test_media_kinds(name, media):
    (post,) = _posts(name).values()
    assert post["extra"]["media"] == media


def test_polls_keep_question_options_and_voters():
    poll = _posts("any2feed/message_poll.html")[488]["extra"]["poll"]
    assert poll == {"question": "Как лучше?", "type": "Anonymous Poll", "voters": 222, "options": [
        {"text": "Несколько постов в день", "percent": 16}, {"text": "Один пост в несколько дней", "percent": 83},
        {"text": "Свой вариант в комментарии", "percent": 3}]}
    quiz = _posts("tchan/poll.html")[11]["extra"]["poll"]
    assert quiz["type"] == "Anonymous Quiz" and [o["text"] for o in quiz["options"]] == ["Opt1", "Opt2", "Opt3"]
    assert quiz["voters"] == 0


def test_link_preview_cards_go_to_extra():
    preview = _posts("tchan/text_message_link_with_regular_preview.html")[94]["extra"]["preview"]
    assert preview["site"] == "Agência Brasil"
    assert preview["title"] == "Operação Guardiões do Bioma apreende 23,9 toneladas de minério"
    assert preview["description"].startswith("Ação contra o garimpo ilegal em Terra Indígena Yanomami")
    card = _posts("any2feed/message_link_preview_text_only.html")[22368]["extra"]["preview"]
    assert card["description"] == 'Распоряжение Президента Российской Федерации от 27.02.2023 № 59-рп\n "О поощрении"'
    video = _posts("any2feed/message_link_preview_video.html")[11226]
    assert video["extra"]["preview"]["title"] == "Shalnyak"
    assert "разработка" not in video["text"]


def test_emoji_and_formatting_inside_links_stay_in_place():
    post = _posts("tchan/message_weird_preview.html")[7334]
    assert post["source"] == "CamaradosDeputados"
    assert post["published_at"] == datetime(2022, 11, 9, 22, 43, 54, tzinfo=UTC)
    assert post["views"] == 1_200
    assert post["text"] == (
        "_\n\n✍️ CÂMARA APROVA\n_\n\n\n🔸 Projeto que aumenta penas para crimes sexuais contra crianças\n"
        "#Punição_ampliada\n🗳 Opine sobre esta proposta clicando aqui!\n____\n\n"
        "🔸Projeto que facilita corte ou poda de árvore quando houver risco de acidente.\n#Poda_de_árvores\n"
        "🗳 Opine sobre esta proposta clicando aqui!\n____\n\n"
        "🔸Proposta que susta resoluções da Aneel sobre tarifas de transmissão.\n#Tarifas_de_transmissão\n"
        "🗳 Opine sobre esta proposta clicando aqui!\n\n\n____\n\n"
        "📬 Convide seus contatos do WhatsApp a conhecerem nosso canal clicando aqui! \n____")
    assert post["extra"]["hashtags"] == ["Punição_ampliada", "Poda_de_árvores", "Tarifas_de_transmissão"]
    assert post["extra"]["links"][0] == "http://bit.ly/3Tq1C4G"


@pytest.mark.parametrize("name", ["service_message_channel_created", "service_message_pinned",
                                  "service_message_channel_name_changed", "service_message_channel_photo_updated"])
def test_service_messages_are_not_posts(name):
    page = parse_channel_page((PAGES / "tchan" / f"{name}.html").read_bytes())
    assert page.posts == [] and page.skipped == 0


def test_a_page_without_messages():
    page = parse_channel_page((PAGES / "tchan/no_posts_found.html").read_bytes())
    assert page.posts == [] and page.skipped == 0 and page.before is None


@pytest.mark.parametrize("old, new", [
    ('datetime="2023-02-28T08:09:50+00:00"', 'datetime=""'),
    ('datetime="2023-02-28T08:09:50+00:00"', 'datetime="yesterday"'),
    ('datetime="2023-02-28T08:09:50+00:00"', 'datetime="2023-02-28T08:09:50"'),  # no zone
    ('data-post="topwar_official/70990"', 'data-post="topwar_official/7099²"'),
    ('data-post="topwar_official/70990"', 'data-post="topwar_official/"'),
])
def test_an_unreadable_message_is_skipped_and_counted_the_rest_of_the_page_kept(old, new, caplog):
    html = (PAGES / "any2feed/full.html").read_text(encoding="utf-8")
    assert html.count(old) == 1
    page = parse_channel_page(html.replace(old, new).encode())
    assert page.skipped == 1
    assert sorted(p["post_id"] for p in page.posts) == [70989, 70992, 70995, 70996, 70997, 70998, 70999, 71000,
                                                        71006, 71007, 71008]
    assert page.before == 70989
    assert "telegram message" in caplog.text and "skipped" in caplog.text


def test_an_unreadable_counter_is_null_not_a_crash():
    html = (PAGES / "any2feed/full.html").read_text(encoding="utf-8")
    page = parse_channel_page(html.replace(">37.2K<", ">" + "9" * 400 + "<").replace(">34.5K<", "> <").encode())
    posts = {p["post_id"]: p for p in page.posts}
    assert page.skipped == 0 and posts[70989]["views"] is None and posts[70990]["views"] is None
    assert posts[70992]["views"] == 33_800


def test_an_unreadable_cursor_still_leads_to_older_pages():
    html = (PAGES / "any2feed/full.html").read_text(encoding="utf-8")
    page = parse_channel_page(html.replace('data-before="70989"', 'data-before="¹²"').encode())
    assert page.before == 70989  # the oldest post shown


@pytest.mark.parametrize("body", [b"", b"   \n\t ", b"\x00\x01\xff\xfe", "<p>ы</p>".encode("utf-16"), b"<" * 10_000,
                                  b"<div class='tgme_widget_message' data-post='a/1'>" * 3_000])
def test_whatever_the_bytes_the_page_parses(body):
    page = parse_channel_page(body)
    assert page.posts == [] and page.before is None
    assert (page.skipped > 0) == (b"data-post" in body)  # blocks without a date are counted, not dropped
