"""Russian lemmas: pymorphy3 with a cache keyed by the lower-cased form, and a domain lexicon on top.

spaCy's own pymorphy3 mode needs a tagger to choose among analyses and leaves ambiguous words such as
«вышли» unlemmatised without one; here the analysis pymorphy3 scores highest is taken. For a word its
dictionary knows, that analysis is read straight from the dictionary and its table of P(tag | word),
as ``parse`` ranks them, several times faster than ``parse`` itself, which builds and scores a full
object per analysis; most forms need no ranking, having one normal form whatever the analysis. Words
the dictionary does not know are read by pymorphy3's guessers (by analogy, prefixes, hyphenated parts), run
and ranked as ``parse`` runs them, without the result objects it builds. Latin words are
their own lemma, as pymorphy3 would give. Words of Kazakhstan's politics and places that pymorphy3 does
not know («маслихата» → «маслихата», «Кызылорде» → «кызылорд») are taken from ``data/ru_lexicon.tsv``,
every declined form listed by its paradigm.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from operator import itemgetter
from importlib import resources

import pymorphy3
from pymorphy3.units import DictionaryAnalyzer, NumberAnalyzer, PunctuationAnalyzer

from qatysu.nlp.normalize import match_form

PARADIGMS = {
    "m": ("", "а", "у", "ом", "е", "ы", "ов", "ам", "ами", "ах"),
    "m_j": ("й", "я", "ю", "ем", "е", "и", "ев", "ям", "ями", "ях"),
    "f_a": ("а", "ы", "е", "у", "ой", "ою", "ам", "ами", "ах"),
    "indecl": ("",),
    # adjectives in -ский/-кий, all genders and numbers (Атырауская, в Атырауской, атырауские) → -ский
    "adj": ("ий", "ого", "ому", "им", "ом", "ая", "ой", "ую", "ою", "ое", "ие", "их", "ими"),
    # surnames in -ов/-ев/-ин, both genders (Токаев, Токаевым, Токаевой) → the masculine nominative
    "surn": ("", "а", "у", "ым", "е", "ой", "ою", "ы", "ых", "ыми"),
}
# A capitalised word of surname form: stem in -ов/-ев/-ёв/-ин/-ын and a case ending of either gender.
SURNAME = re.compile(r"(.{2,}?(?:ов|ев|ёв|ин|ын))(?:а|у|ым|ом|е|ой|ою|ы|ых|ыми)?")


def _stem(lemma: str, paradigm: str) -> str:
    return lemma[:-2] if paradigm == "adj" else lemma[:-1] if paradigm in ("m_j", "f_a") else lemma


@lru_cache(maxsize=1)
def domain_forms() -> dict[str, str]:
    """Every declined form of the domain lexicon → its lemma."""
    forms: dict[str, str] = {}
    text = (resources.files("qatysu.nlp") / "data" / "ru_lexicon.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lemma, paradigm = line.split("\t")[:2]
        stem = _stem(lemma, paradigm)
        for ending in PARADIGMS[paradigm]:
            forms.setdefault(stem + ending, lemma)
    return forms


@lru_cache(maxsize=1)
def morph_analyzer() -> pymorphy3.MorphAnalyzer:
    """pymorphy3's analyzer, loaded once per process (its dictionary takes a few tens of megabytes)."""
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def dictionary_entries(lower: str) -> list[tuple[str, tuple[tuple[int, int], ...]]]:
    """pymorphy3's dictionary entries of a lower-cased form, е read as ё too (the look-up ``parse`` starts with):
    (the form as the dictionary spells it, its (paradigm, index) pairs). Language id asks whether a form is
    Russian and the lemmatiser for its analyses; each form is looked up once for both."""
    morph = morph_analyzer()
    return morph.dictionary.words.similar_items(lower, morph.char_substitutes)


class RussianLemmatizer:
    def __init__(self) -> None:
        self.morph = morph_analyzer()
        self._normal_form = self.morph.dictionary.build_normal_form
        self._tag = self.morph.dictionary.build_tag_info
        self._p_tag_given_word = self.morph.prob_estimator.p_t_given_w
        # the analyser units that may read a word the dictionary does not know, of letters and inner hyphens
        # (what reaches them): not the dictionary, nor the readers of numbers and punctuation
        self._guessers = [(unit, terminal) for unit, terminal in self.morph._units
                          if not isinstance(unit, (DictionaryAnalyzer, NumberAnalyzer, PunctuationAnalyzer))]
        self.domain = domain_forms()
        # Forms that are also ordinary words («семей» of «семья», city Семей) are read as names only when capitalised.
        self.ambiguous = {form for form, lemma in self.domain.items()
                          if (known := self._dictionary_lemma(form)) is not None and match_form(known) != lemma}
        self._cached = lru_cache(maxsize=500_000)(self._lemma)

    def lemma(self, word: str) -> str:
        key = match_form(word)
        if 2 <= len(word) <= 5 and word.isupper():  # an abbreviation is its own lemma (ИИ, БПЛА, not ия, бпнуть)
            return key
        # capitals matter only to a name that is also a word and to a surname's form: other forms share one entry
        named = word[:1].isupper() and (key in self.ambiguous or SURNAME.fullmatch(key) is not None)
        return self._cached(key, named)

    def _lemma(self, key: str, capitalised: bool) -> str:
        if key in self.domain and (capitalised or key not in self.ambiguous):
            return self.domain[key]
        if (not key.isalpha() and "-" not in key) or (key.isascii() and key.isalpha()):
            return key
        known = self._analyses(key)  # read once, for the surname and the lemma
        if capitalised and (surname := self._surname(key, known)):
            return surname
        return match_form(self._ranked(key, known) if known else self._guessed_lemma(key))

    def _surname(self, key: str, known: list[tuple[str, int, int]] | None = None) -> str | None:
        """The masculine nominative of a capitalised surname, so every case and gender has one lemma: from
        pymorphy3's reading as a surname (``Surn``; Иванова → иванов, Песков → песков, not песок), or for a
        word its dictionary does not know, from the form itself (Бектеновым → бектенов). A known word's
        analyses (``known``, :meth:`_analyses`) are read from the dictionary, as for :meth:`_dictionary_lemma`."""
        match = SURNAME.fullmatch(key)
        if not match:
            return None
        if known is None:
            known = self._analyses(key)
        if known:
            surnames = [a for a in known if "Surn" in self._tag(a[1], a[2])]
            return match_form(self._ranked(key, surnames)) if surnames else None
        for _, tag, normal_form, *_ in self._guesses(key):  # a guesser may read an unknown word as a surname
            if "Surn" in tag:
                return match_form(normal_form)
        return match.group(1)

    def _unit_guesses(self, key: str) -> Iterator[list[tuple]]:
        """What each of pymorphy3's analyser units reads a word its dictionary does not know as, unit by unit in
        the order ``parse`` runs them, up to the first terminal unit once any unit has read the word."""
        seen: set = set()
        read = False
        for unit, terminal in self._guessers:
            found = unit.parse(key, key, seen)
            yield found
            read = read or bool(found)
            if terminal and read:
                return

    def _guesses(self, key: str) -> list[tuple]:
        """pymorphy3's analyses of a word its dictionary does not know, ranked as ``parse`` ranks them: the units'
        (:meth:`_unit_guesses`), then by P(tag | word) (the table knows no unknown word, so in the units' order).
        ``parse`` itself also builds a result object per analysis and sorts them, which doubles the cost of the
        one in ten forms of real posts that need it."""
        found = [analysis for unit_found in self._unit_guesses(key) for analysis in unit_found]
        probs = [self._p_tag_given_word.prob(key, analysis[1]) for analysis in found]
        if not any(probs):
            return found
        return [analysis for _, analysis in sorted(zip(probs, found), key=itemgetter(0), reverse=True)]

    def _guessed_lemma(self, key: str) -> str:
        """The normal form of the first of :meth:`_guesses`: what ``parse(key)[0].normal_form`` gives. For a word
        the table of P(tag | word) does not know (almost every word the dictionary lacks), nothing reorders the
        guesses: the first analysis of the first unit that reads the word is the first, and the units after it
        need not run."""
        if self._p_tag_given_word.has_keys_with_prefix(key + ":"):  # the table's keys are "word:tag"
            return self._guesses(key)[0][2]
        return next(found for found in self._unit_guesses(key) if found)[0][2]

    def _analyses(self, key: str) -> list[tuple[str, int, int]]:
        """(normal form, paradigm, index in the paradigm) of each analysis the dictionary has of ``key``, in the
        dictionary's order: those ``parse`` returns for a known word (none for an unknown one)."""
        return [(self._normal_form(paradigm, index, fixed), paradigm, index)
                for fixed, found in dictionary_entries(key) for paradigm, index in found]

    def _ranked(self, key: str, analyses: list[tuple[str, int, int]]) -> str:
        """The normal form of the analysis ``parse`` ranks first: the highest P(tag | word), the first in the
        dictionary's order on a tie (``parse`` sorts stably) or where the table does not know the word."""
        if len({form for form, _, _ in analyses}) <= 1:
            return analyses[0][0]
        probs = [self._p_tag_given_word.prob(key, self._tag(paradigm, index)) for _, paradigm, index in analyses]
        return analyses[probs.index(max(probs))][0]

    def _dictionary_lemma(self, key: str) -> str | None:
        """The normal form of the analysis of ``key`` that pymorphy3's ``parse`` ranks first, read straight
        from its dictionary; None for a word the dictionary does not know. Most forms have one normal form
        whatever the analysis and need no ranking at all."""
        analyses = self._analyses(key)
        return self._ranked(key, analyses) if analyses else None
