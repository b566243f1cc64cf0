"""Stop words by lemma: spaCy's Russian list plus Qatysu's domain list, and Qatysu's Kazakh list."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from spacy.lang.ru.stop_words import STOP_WORDS as SPACY_RU

from qatysu.nlp.normalize import match_form


def _read(name: str) -> frozenset[str]:
    text = (resources.files("qatysu.nlp") / "data" / name).read_text(encoding="utf-8")
    return frozenset(match_form(w.split("#", 1)[0].strip()) for w in text.splitlines() if w.split("#", 1)[0].strip())


@lru_cache(maxsize=1)
def stop_words() -> dict[str, frozenset[str]]:
    """Stop lemmas by language (words shorter than two letters count as stop words too)."""
    return {
        "ru": frozenset(match_form(w) for w in SPACY_RU) | _read("ru_stopwords.txt"),
        "kk": _read("kk_stopwords.txt"),
    }
