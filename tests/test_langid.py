"""Language identification on 533 hand-labelled texts (386 posts in Russian, Kazakh or both; 147 in the
neighbouring Kyrgyz, Tatar, Bashkir, Uzbek, Ukrainian and Belarusian, which must come out ``other``) and on
the real Russian corpus."""

import collections
import json
from pathlib import Path

from qatysu.nlp.langid import detect, runs
from qatysu.nlp.normalize import normalize

from helpers import SHARED

GOLD = Path(__file__).parent / "gold"


def labelled(name: str = "langid.tsv") -> list[tuple[str, str]]:
    lines = (GOLD / name).read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t", 1)) for line in lines if line.strip() and not line.startswith("#")]


def test_labelled_set_covers_three_labels():
    counts = collections.Counter(label for label, _ in labelled())
    assert sum(counts.values()) >= 200 and set(counts) == {"ru", "kk", "mixed"} and min(counts.values()) >= 40


def test_neighbouring_languages_are_all_represented():
    counts = collections.Counter(lang for lang, _ in labelled("langid_neighbours.tsv"))
    assert sum(counts.values()) >= 100 and set(counts) == {"ky", "tt", "ba", "uz", "uk", "be"}
    assert min(counts.values()) >= 10


def test_accuracy_on_labelled_posts_and_neighbouring_languages():
    posts, near = labelled(), labelled("langid_neighbours.tsv")
    wrong = [(label, got, text) for label, text in posts if (got := detect(normalize(text).text).lang) != label]
    near_wrong = [(lang, got, text) for lang, text in near if (got := detect(normalize(text).text).lang) != "other"]
    overall = 1 - (len(wrong) + len(near_wrong)) / (len(posts) + len(near))
    print(f"\nlanguage id {overall:.1%} on {len(posts) + len(near)} texts; wrong: {wrong}; neighbours: {near_wrong}")
    assert 1 - len(wrong) / len(posts) >= 0.97, wrong
    assert 1 - len(near_wrong) / len(near) >= 0.95, near_wrong
    assert not [miss for miss in near_wrong if miss[1] == "kk"], near_wrong  # a neighbour feeds no Kazakh model
    assert overall >= 0.97


def test_a_neighbouring_language_is_named():
    assert detect("Ўзбекистон Республикаси ҳукумати қарор қабул қилди").neighbour == "uz"
    assert detect("Башҡортостан Республикаһы шарттарында ауыл хужалығы").neighbour == "ba"
    assert detect("Незалежність і недоторканність судді гарантуються Конституцією").neighbour == "uk"
    assert detect("Жарандар эч кимге паспортун бербеши керек").lang == "other"
    assert detect("Бүгін митинг өтеді, барыңыздар").neighbour is None


def test_kyrgyz_and_tatar_sounds_where_kazakh_has_others():
    # Kyrgyz -у after о (жолу; Kazakh жолы), ш for с (жашаган; Kazakh жасаған) on a keyboard with ө but no қ;
    # Tatar -лар after a consonant (дуслары; Kazakh достары)
    assert detect("Мен дагы бир жолу айтам").neighbour == "ky"
    assert detect("Ал Казакстанда төрт жыл жашаган").neighbour == "ky"
    assert detect("Аның дуслары күп").neighbour == "tt"
    # informal Kazakh keeps its language: ешек for есек, қ typed as к beside ө
    assert detect("Жаман ешек керек емес, катып кала береді").lang == "kk"
    assert detect("Өте жаксы кызмет, кыздар рахмет").lang == "kk"


def test_real_russian_posts_are_russian():
    texts = []
    for path in sorted((SHARED / "corpora" / "ru_telegram_posts").glob("*_messages.json"))[:8]:
        texts += [m["text"] for m in json.loads(path.read_text(encoding="utf-8")) if m["text"]]
    langs = collections.Counter(detect(normalize(t).text).lang for t in texts)
    assert langs["ru"] / sum(langs.values()) >= 0.99, langs
    assert langs["kk"] == 0


def test_other_scripts_and_empty_text():
    assert detect("Breaking news from the parliament today, more soon").lang == "other"
    assert detect("🔥🔥 123").lang == "und"


def test_runs_split_a_code_switching_post():
    words = "Бәріміз бірге болайық мы вместе не молчи".split()
    assert runs(words, "ru") == [("kk", 0, 3), ("ru", 3, 7)]


def test_a_word_is_russian_exactly_when_pymorphy3s_dictionary_knows_it():
    """Language id and the lemmatiser share one dictionary look-up per form: on every word of 1,000 real posts,
    written with ё or е, language id's answer is pymorphy3's own ``word_is_known``."""
    from qatysu.nlp.langid import russian_word
    from qatysu.nlp.russian import morph_analyzer
    from qatysu.nlp.tokens import words_and_marks

    from helpers import shared_posts

    words = {w.lower() for post in shared_posts(1000) for w in words_and_marks(normalize(post["text"]).content)
             if w[:1].isalpha()}
    words |= {"ёлка", "елка", "всё", "все", "приобрёл", "сайлау", "жаңа"}
    assert len(words) > 15_000
    morph = morph_analyzer()
    assert {w for w in words if russian_word(w) != morph.word_is_known(w)} == set()
    assert russian_word("всё") and russian_word("ёлка") and not russian_word("жаңа")
