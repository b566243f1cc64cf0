"""Gold lemmas written from real usage (tests/gold/SOURCES.md): Russian and Kazakh forms in sentences,
Kazakh words inside Russian or mixed sentences and informal Kazakh typed with Russian letters, lemmatised
in context. bench/nlp_gold.py prints the same figures with every miss."""

from pathlib import Path

import pytest

from qatysu.nlp.pipeline import analyze

GOLD = Path(__file__).parent / "gold"
# kk_heldout was written after the Kazakh rules were settled and never used to tune them, so its figure is
# the honest one for new text; its bar is lower than the tuned set's.
TARGET = {"ru": 0.98, "kk": 0.92, "kk_heldout": 0.85, "kk_mixed": 0.90, "kk_informal": 0.80}


def gold(lang: str) -> list[tuple[str, str, str]]:
    lines = (GOLD / f"lemmas_{lang}.tsv").read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if line.strip() and not line.startswith("#")]


def accuracy(lang: str) -> tuple[float, list[tuple[str, str, str | None]]]:
    rows = gold(lang)
    sentences = sorted({s for s, _, _ in rows})
    analysed = dict(zip(sentences, analyze(sentences)))
    misses = []
    for sentence, form, lemma in rows:
        found = [t.lemma for t in analysed[sentence].tokens if t.text.lower() == form.lower()]
        if not found or found[0] != lemma.replace("ё", "е"):
            misses.append((form, lemma, found[0] if found else None))
    return 1 - len(misses) / len(rows), misses


@pytest.mark.parametrize("lang, minimum", [("ru", 300), ("kk", 200), ("kk_mixed", 100), ("kk_informal", 100)])
def test_gold_set_is_large_enough_and_well_formed(lang, minimum):
    rows = gold(lang)
    assert len(rows) >= minimum
    assert all(form.lower() in sentence.lower() for sentence, form, _ in rows)


@pytest.mark.parametrize("lang", list(TARGET))
def test_lemma_accuracy_meets_the_target(lang):
    score, misses = accuracy(lang)
    print(f"\n{lang} lemma accuracy {score:.1%} on {len(gold(lang))} forms; misses: {misses}")
    assert score >= TARGET[lang], misses


def test_domain_words_pymorphy_gets_wrong():
    text = "маслихата тенге акиматов Кызылорде Актобе Оскемене Елбасы"
    lemmas = [t.lemma for t in next(analyze([text], lang="ru")).tokens]
    assert lemmas == ["маслихат", "тенге", "акимат", "кызылорда", "актобе", "оскемен", "елбасы"]


def test_inflected_election_words_collapse_to_one_lemma():
    ru = {t.lemma for t in next(analyze(["выборы выборов выборах"])).tokens}
    kk = {t.lemma for t in next(analyze(["сайлау сайлауға сайлауда"])).tokens}
    assert ru == {"выборы"} and kk == {"сайлау"}


def test_the_spacy_component_and_the_fast_path_agree():
    from qatysu.nlp.pipeline import pipeline

    texts = [s for s, _, _ in gold("ru")[::7]] + [s for s, _, _ in gold("kk")[::5]]
    nlp = pipeline()
    for text, fast in zip(texts, analyze(texts)):
        doc = nlp(text)
        assert doc._.lang == fast.lang
        assert [(t.text, t.lemma_, t._.stop) for t in doc] == [(t.text, t.lemma, t.is_stop) for t in fast.tokens]


def test_lemmas_read_without_parse_are_pymorphys_best_parse():
    """Every distinct form of 2,000 real posts gets the lemma of pymorphy3's top-ranked ``parse``: known forms read
    straight from the dictionary (one normal form, or analyses ranked by P(tag | word)), unknown ones from its
    guessers run without ``parse``, Latin words as themselves; and a capitalised form of surname shape gets the
    normal form of the first surname reading ``parse`` ranks (or none, for a known word without one)."""
    from qatysu.nlp.normalize import match_form, normalize
    from qatysu.nlp.russian import SURNAME, RussianLemmatizer
    from qatysu.nlp.tokens import words_and_marks

    from helpers import shared_posts

    ru = RussianLemmatizer()
    tokens = {t for p in shared_posts(2000) for t in words_and_marks(normalize(p["text"]).text) if t[0].isalpha()}
    # what the lemmatiser reads (a form with an apostrophe or other marks is its own lemma)
    forms = {f for f in map(match_form, tokens) if f.isalpha() or "-" in f} - set(ru.domain)
    unknown = [f for f in forms if not ru._dictionary_lemma(f) and not (f.isascii() and f.isalpha())]
    assert len(forms) > 10_000 and len(unknown) > 500  # real posts are full of words no dictionary has
    wrong = [(f, ru.lemma(f)) for f in forms if ru.lemma(f) != match_form(ru.morph.parse(f)[0].normal_form)]
    assert wrong == []

    def surname_by_parse(key: str) -> str | None:
        for parse in ru.morph.parse(key):
            if "Surn" in parse.tag:
                return match_form(parse.normal_form)
        return None if ru.morph.word_is_known(key) else SURNAME.fullmatch(key).group(1)

    shaped = {match_form(t) for t in tokens if t[0].isupper() and SURNAME.fullmatch(match_form(t))}
    assert len(shaped) > 300
    assert [k for k in shaped if ru._surname(k) != surname_by_parse(k)] == []


def test_surnames_keep_one_masculine_lemma_and_abbreviations_keep_themselves():
    text = "Бектенов встретился с Бектеновой и Песковым, ИИ, БПЛА и ЦИК. Берег без песков и пляжей"
    lemma = {t.text: t.lemma for t in next(analyze([text])).tokens}
    assert [lemma[w] for w in ("Бектенов", "Бектеновой", "Песковым")] == ["бектенов", "бектенов", "песков"]
    assert [lemma[w] for w in ("ИИ", "БПЛА", "ЦИК")] == ["ии", "бпла", "цик"]
    assert lemma["песков"] == "песок"


def test_kazakh_words_in_a_russian_sentence_get_kazakh_lemmas():
    tokens = next(analyze(["Вчера на жиналыста аким пообещал, что ауылда отремонтируют дорогу"])).tokens
    read = {t.text: (t.lang, t.lemma) for t in tokens}
    assert read["жиналыста"] == ("kk", "жиналыс") and read["ауылда"] == ("kk", "ауыл")
    assert read["пообещал"] == ("ru", "пообещать") and read["дорогу"] == ("ru", "дорога")


def test_informal_kazakh_is_respelt_with_kazakh_letters():
    from qatysu.nlp.kazakh import kazakh_lemmatizer

    kk = kazakh_lemmatizer()
    assert [kk.restore(w) for w in ("унады", "жаксы", "колым")] == ["ұнады", "жақсы", "қолым"]
    assert [kk.lemma(w) for w in ("унады", "жаксы", "маган", "барлыгы")] == ["ұнау", "жақсы", "мен", "барлық"]
    assert kk.restore("правительство") is None


def test_forms_one_process_read_are_taken_by_another_as_read():
    """What one analysis process hands on (learnt_forms) another takes (teach_forms) through a pickle, as the
    processing step's workers do: it then reads none of those forms itself and analyses the posts as the first
    did."""
    import pickle

    from qatysu.nlp import langid, pipeline

    from helpers import shared_posts

    def forget() -> None:  # as a new process starts: no form read yet
        for table in (*pipeline._READINGS.values(), langid._FORMS):
            table.forget()

    def analysis(texts: list[str]) -> list:
        return [(a.lang, [(t.text, t.lemma, t.is_stop, t.lang) for t in a.tokens]) for a in pipeline.analyze(texts)]

    texts = [p["text"] for p in shared_posts(300)] + ["Ауылда жиналыс өтті, келесі сайлау туралы айтылды.",
                                                      "Өлкөнүн шайлоосу жакында болот."]
    forget()
    expected = analysis(texts)
    learnt = pickle.loads(pickle.dumps(pipeline.learnt_forms()))
    assert len(learnt.readings["ru"][0]) > 3000 and learnt.langs[2]  # Russian readings, and a neighbour mark
    forget()
    pipeline.teach_forms(learnt)
    sizes = [len(t) for t in (*pipeline._READINGS.values(), langid._FORMS)]
    assert analysis(texts) == expected
    assert [len(t) for t in (*pipeline._READINGS.values(), langid._FORMS)] == sizes  # nothing read again
    assert pipeline.learnt_forms().readings["ru"][0] == []  # and nothing to hand back
