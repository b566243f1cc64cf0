"""The spaCy pipeline: ``blank("ru")`` tokenisation (it serves Kazakh Cyrillic as well) and Qatysu's
registered lemmatizer component, which gives every token a language, a lemma and a stop-word flag."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token

from qatysu.nlp.kazakh import KazakhLemmatizer, kazakh_lemmatizer
from qatysu.nlp.forms import FormTable
from qatysu.nlp.langid import TaughtForms, fresh_forms, language_of, own_languages, run_languages
from qatysu.nlp.langid import teach_forms as teach_languages
from qatysu.nlp.normalize import Normalized, normalize
from qatysu.nlp.russian import RussianLemmatizer
from qatysu.nlp.stopwords import stop_words
from qatysu.nlp.tokens import spans, words_and_marks

for _cls, _name in ((Doc, "lang"), (Token, "lang"), (Token, "stop")):
    if not _cls.has_extension(_name):
        _cls.set_extension(_name, default=None)


@lru_cache(maxsize=1)
def lemmatizers() -> tuple[RussianLemmatizer, KazakhLemmatizer]:
    return RussianLemmatizer(), kazakh_lemmatizer()


@dataclass
class TokenInfo:
    text: str
    lemma: str
    is_stop: bool
    lang: str | None  # None for numbers and punctuation


class Reading(NamedTuple):
    """What a token is read as. ``word`` and ``content`` repeat the lemma when the token is a word (a content
    word), else are empty, so a post's word and content lemmas are picked out without a Python loop."""

    lemma: str
    lang: str | None  # None for numbers and punctuation
    stop: bool
    word: str
    content: str


@dataclass
class Annotated:
    """A document's language and the reading of each of its tokens."""

    lang: str
    tokens: list[str]
    readings: list[Reading]

    @property
    def word_lemmas(self) -> list[str]:
        """Lemmas of all words, stop words included (for names and regions)."""
        return list(filter(None, map(_WORD, self.readings)))

    @property
    def content_lemmas(self) -> list[str]:
        """Lemmas of the words that carry content: what topics and marker scores count."""
        return list(filter(None, map(_CONTENT, self.readings)))

    def name_evidence(self, word: int) -> bool:
        """Whether word ``word`` (counting words only, as :attr:`word_lemmas` does) is written as a name:
        capitalised and not the first word of a sentence."""
        positions = [i for i, r in enumerate(self.readings) if r.word]
        if word >= len(positions):
            return False
        at = positions[word]
        return self.tokens[at][:1].isupper() and at > 0 and self.tokens[at - 1] not in SENTENCE_ENDS


_WORD, _CONTENT = itemgetter(3), itemgetter(4)
SENTENCE_ENDS = frozenset(".!?…")


def _reading(lemma: str, lang: str | None, stop: bool) -> Reading:
    return Reading(lemma, lang, stop, lemma if lang else "", lemma if lang and not stop else "")


def _reader(lang: str) -> Callable[[str], Reading]:
    """How tokens are read in language ``lang``: by its lemmatiser (Kazakh or Russian); a word of a
    neighbouring language (``other``) is its own lower-cased lemma, since neither lemmatiser knows it."""

    def read(token: str) -> Reading:
        if not token[0].isalpha():
            return _reading(token.lower(), None, True)
        if lang == "other":
            lemma = token.lower()
            return _reading(lemma, lang, len(lemma) < 2)
        ru, kk = lemmatizers()
        lemma = (kk if lang == "kk" else ru).lemma(token)
        return _reading(lemma, lang, lemma in stop_words()[lang] or len(lemma) < 2)

    return read


# token → its reading in each language, each form read once (see qatysu.nlp.forms)
_READINGS = {lang: FormTable(_reader(lang)) for lang in ("ru", "kk", "other")}


@dataclass(frozen=True)
class LearntForms:
    """Word forms this process has read since it last handed them on, compact (plain lists pickle fast):
    their own languages and neighbour marks, and per language their lemmas and flags (1: stop word; 2: a word)."""

    langs: TaughtForms
    readings: dict[str, tuple[list[str], list[str], bytes]]


def learnt_forms() -> LearntForms:
    """What this process has read of word forms since the last call, for the other processes analysing the same
    corpus to take with :func:`teach_forms` rather than read those forms again."""
    readings = {}
    for lang, table in _READINGS.items():
        fresh = table.fresh()
        readings[lang] = (list(fresh), [r.lemma for r in fresh.values()],
                          bytes(r.stop | (r.lang is not None) << 1 for r in fresh.values()))
    return LearntForms(fresh_forms(), readings)


def teach_forms(learnt: LearntForms) -> None:
    """Take the word forms another process has read (:func:`learnt_forms`): as if they had been read here."""
    teach_languages(learnt.langs)
    for lang, (forms, lemmas, flags) in learnt.readings.items():
        _READINGS[lang].teach({form: _reading(lemma, lang if flag & 2 else None, bool(flag & 1))
                               for form, lemma, flag in zip(forms, lemmas, flags)})


def annotate(tokens: list[str], lang: str = "auto") -> Annotated:
    """The document language and, per token, its language, lemma and stop-word flag.

    With ``lang`` ru or kk every word is read in that language. With ``auto`` each run of words is read in
    its own language, whatever the post's: a word with evidence of its language (Kazakh letters or
    morphology, word lists, the Russian dictionary) in it, a word without in the language of the run it
    sits in (see :func:`qatysu.nlp.langid.run_languages`); a post in a neighbouring language is ``other``.
    The one place this logic lives: the fast path and the spaCy component both call it.
    """
    if lang != "auto":
        return Annotated(lang, tokens, list(map(_READINGS[lang if lang in _READINGS else "ru"].__getitem__, tokens)))
    langs = own_languages(tokens)
    guess = language_of(tokens, langs)
    if guess.lang == "other" and guess.neighbour:
        return Annotated(guess.lang, tokens, list(map(_READINGS["other"].__getitem__, tokens)))
    present = set(langs)
    present.discard(None)
    if len(present) <= 1:  # one language or none (most posts): every word is read in it, at C speed
        only = present.pop() if present else "ru"
        return Annotated(guess.lang, tokens, list(map(_READINGS[only].__getitem__, tokens)))
    by_run = run_languages(tokens, langs, "kk" if guess.lang == "kk" else "ru")
    return Annotated(guess.lang, tokens, [_READINGS[run or "ru"][token] for token, run in zip(tokens, by_run)])


class SpacyTokenizer:
    """spaCy tokenizer on :mod:`nlp.tokens`, so a spaCy Doc holds the same tokens as the fast path."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        pairs = spans(text)
        return Doc(self.vocab, words=[w for w, _ in pairs], spaces=[sp for _, sp in pairs])


class QatysuLemmatizer:
    """spaCy component: ``doc._.lang``; per token ``lemma_``, ``token._.lang`` and ``token._.stop``."""

    def __init__(self, lang: str = "auto"):
        self.lang = lang

    def __call__(self, doc: Doc) -> Doc:
        a = annotate([t.text for t in doc], self.lang)
        doc._.lang = a.lang
        for tok, reading in zip(doc, a.readings):
            tok.lemma_ = reading.lemma
            tok._.lang = reading.lang
            tok._.stop = reading.stop
        return doc


@Language.factory("qatysu_lemmatizer", default_config={"lang": "auto"})
def make_lemmatizer(nlp: Language, name: str, lang: str) -> QatysuLemmatizer:
    return QatysuLemmatizer(lang)


@lru_cache(maxsize=4)
def pipeline(lang: str = "auto") -> Language:
    """spaCy ``blank("ru")`` with Qatysu's tokenizer and lemmatizer component, for users who want spaCy Docs."""
    nlp = spacy.blank("ru")
    nlp.tokenizer = SpacyTokenizer(nlp.vocab)
    nlp.add_pipe("qatysu_lemmatizer", config={"lang": lang})
    return nlp


@dataclass
class Analysis:
    annotated: Annotated
    normalized: Normalized

    @property
    def lang(self) -> str:
        return self.annotated.lang

    @property
    def tokens(self) -> list[TokenInfo]:
        a = self.annotated
        return [TokenInfo(t, r.lemma, r.stop, r.lang) for t, r in zip(a.tokens, a.readings)]

    @property
    def word_lemmas(self) -> list[str]:
        """Lemmas of all words, stop words included (for names and regions)."""
        return self.annotated.word_lemmas

    @property
    def content_lemmas(self) -> list[str]:
        """Lemmas of the words that carry content: what topics and marker scores count."""
        return self.annotated.content_lemmas

    def name_evidence(self, word: int) -> bool:
        """Whether word ``word`` (counting words only, as :attr:`word_lemmas` does) is written as a name:
        capitalised and not the first word of a sentence."""
        return self.annotated.name_evidence(word)


def analyze(texts: Iterable[str], lang: str = "auto") -> Iterator[Analysis]:
    """Normalise, tokenise and annotate each text (the fast path: no spaCy Doc is built)."""
    for text in texts:
        norm = normalize(text)
        yield Analysis(annotate(words_and_marks(norm.content), lang), norm)


def lemmatize_phrase(text: str) -> list[str]:
    """Lemmas of the words of a short name or phrase (stop words too), for gazetteers and lexicons."""
    return next(analyze([text])).word_lemmas
