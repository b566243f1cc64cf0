"""Normalisation: one form of each post's text, with links, mentions, hashtags and emoji set aside."""

import unicodedata

from qatysu.nlp.normalize import match_form, normalize
from qatysu.nlp.tokens import words_and_marks

from helpers import shared_posts


def test_latin_look_alikes_inside_cyrillic_words_are_repaired():
    norm = normalize("Қазақстaн сайлаyы, приобрëл, Kazakhstanда, iPhone")
    # a, y and ë typed on a Latin keyboard; «Kazakhstanда» and «iPhone» are Latin words and stay
    assert norm.content == "Қазақстан сайлауы, приобрёл, Kazakhstanда, iPhone"
    # a look-alike that starts or ends the word, or the only Latin letter of the post
    assert normalize("Oблыс әкімі сайлаy").content == "Облыс әкімі сайлау"
    assert normalize("сайлаy").content == "сайлау"


def test_the_cheap_check_skips_no_real_post_with_look_alikes():
    """Most posts mix no scripts inside a word, and repair_lookalikes skips them after one cheap search: on the
    shared corpus's real posts (some typed with Latin е, а, о inside Russian words: «мeждунapoдный», «Мoсквы»)
    it repairs exactly what the repair applied to every post repairs."""
    from qatysu.nlp.normalize import _MIXED_WORD, _repair_word, repair_lookalikes

    texts = [p["text"] for p in shared_posts(14_000)]
    repaired = [_MIXED_WORD.sub(_repair_word, t) for t in texts]
    assert sum(r != t for r, t in zip(repaired, texts)) >= 50
    assert [repair_lookalikes(t) for t in texts] == repaired


def test_links_mentions_hashtags_and_emoji_are_set_aside():
    norm = normalize("Голосуйте 🗳️ за [петицию](https://example.kz/p/1) @akimat_almaty #сайлaу2024 "
                     "подробнее: https://t.me/s/news?x=1.")
    assert norm.urls == ["https://t.me/s/news?x=1"]
    assert norm.mentions == ["akimat_almaty"]
    assert norm.hashtags == ["сайлау2024"]  # the hashtag's look-alike repaired too
    assert norm.emoji == ["🗳"]
    assert "https" not in norm.content and "🗳" not in norm.content
    assert "петицию" in norm.content  # a Markdown link keeps its text


def test_emoji_sequences_and_symbols_are_set_aside_and_other_scripts_kept():
    norm = normalize("Молодцы 👍🏽 семья 👨\u200d👩\u200d👧 ‼ ©Хабар")
    # a skin tone and the joiners of a family are parts of one emoji, not emoji or text of their own
    assert norm.emoji == ["👍", "👨", "👩", "👧", "‼", "©"]
    assert words_and_marks(norm.content) == ["Молодцы", "семья", "Хабар"]
    plain = normalize("中文 — текст без эмодзи")
    assert plain.emoji == [] and plain.content == "中文 — текст без эмодзи"


def test_markup_is_stripped_and_text_is_composed():
    decomposed = unicodedata.normalize("NFD", "**Алматы** <b>й</b>")
    assert normalize(decomposed).text == "Алматы й"


def test_reader_text_closes_up_spacing_that_tokens_never_see():
    norm = normalize("Выборы\u00a0 \t акима  \n\n\n  в  ауыле\u200bсегодня ")
    assert norm.text == "Выборы акима\nв ауыле сегодня"
    assert words_and_marks(norm.content) == ["Выборы", "акима", "в", "ауыле", "сегодня"]


def test_tokens_of_real_posts_do_not_depend_on_spacing():
    for post in shared_posts(2000):
        norm = normalize(post["text"])
        assert words_and_marks(norm.content) == words_and_marks(norm.text)


def test_match_form_folds_case_and_yo():
    assert match_form("Ёлка") == match_form("елка") == "елка"
