"""Regions named in text, on 243 sentences labelled by hand with the regions they name (tests/gold/regions.tsv):
every oblast in Russian adjective and noun forms and Kazakh forms, district centres, and common words that
look like region names."""

from pathlib import Path

import pytest

from qatysu.nlp.pipeline import analyze, lemmatize_phrase
from qatysu.nlp.regions import RegionMatcher
from qatysu.warehouse.reference import region_aliases

GOLD = Path(__file__).parent / "gold" / "regions.tsv"


@pytest.fixture(scope="module")
def matcher() -> RegionMatcher:
    return RegionMatcher(((a, code, kind) for a, _, code, _, kind in region_aliases()), lemmatize_phrase)


def regions(matcher: RegionMatcher, text: str) -> set[str]:
    a = next(analyze([text]))
    return {m.region_code for m in matcher.find(a.word_lemmas, a.name_evidence)}


def test_precision_and_recall_on_labelled_sentences(matcher):
    rows = [line.split("\t", 1) for line in GOLD.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    assert len(rows) >= 200
    tp = fp = fn = 0
    misses = []
    for codes, sentence in rows:
        expected = set() if codes == "-" else set(codes.split(","))
        found = regions(matcher, sentence)
        tp, fp, fn = tp + len(found & expected), fp + len(found - expected), fn + len(expected - found)
        if found != expected:
            misses.append((sentence, sorted(expected), sorted(found)))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"\nregion precision {precision:.1%}, recall {recall:.1%} on {len(rows)} sentences; misses: {misses}")
    assert precision >= 0.95 and recall >= 0.90, misses


@pytest.mark.parametrize("text, expected", [
    ("Жители Мангистауской области вышли на площадь", {"KZ-47"}),
    ("Улытауские шахтёры вышли на работу", {"KZ-62"}),
    ("Студенты из Орала поехали на олимпиаду", {"KZ-27"}),
    ("Орал на всех, кто пытался возразить", set()),
    ("Сосед орал всю ночь под окнами", set()),
    ("Город Семей остался без тепла", {"KZ-10"}),
    ("Семей многодетных в области стало больше", set()),
    ("На проспекте Абая прошёл ремонт", set()),
])
def test_names_that_are_common_words_need_evidence(matcher, text, expected):
    assert regions(matcher, text) == expected
