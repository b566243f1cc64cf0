"""The spaCy pipeline: ``blank("ru")`` tokenisation (it serves Kazakh Cyrillic as well) and Qatysu's
registered lemmatizer component, which gives every token a language, a lemma and a stop-word flag."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token

from nlp.kazakh import KazakhLemmatizer
from nlp.langid import language_of, token_language
from nlp.normalize import Normalized, normalize
from nlp.russian import RussianLemmatizer
from nlp.stopwords import stop_words
from nlp.tokens import spans, tokenize

for _cls, _name in ((Doc, "lang"), (Token, "lang"), (Token, "stop")):
    if not _cls.has_extension(_name):
        _cls.set_extension(_name, default=None)


@lru_cache(maxsize=1)
def lemmatizers() -> tuple[RussianLemmatizer, KazakhLemmatizer]:
    return RussianLemmatizer(), KazakhLemmatizer.load()


@dataclass
class TokenInfo:
    text: str
    lemma: str
    is_stop: bool
    lang: str | None  # None for numbers and punctuation


@dataclass
class Annotated:
    """Parallel per-token lists (cheaper than an object per token when a corpus is processed)."""

    lang: str
    tokens: list[str]
    langs: list[str | None]
    lemmas: list[str]
    stops: list[bool]


_WORDS: dict[tuple[str, str], tuple[str, bool]] = {}  # (token, language) → (lemma, stop)


def _word(token: str, lang: str) -> tuple[str, bool]:
    found = _WORDS.get((token, lang))
    if found is None:
        ru, kk = lemmatizers()
        lemma = (kk if lang == "kk" else ru).lemma(token)
        found = _WORDS[(token, lang)] = (lemma, lemma in stop_words()[lang] or len(lemma) < 2)
        if len(_WORDS) > 1_000_000:
            _WORDS.clear()
    return found


def annotate(tokens: list[str], lang: str = "auto") -> Annotated:
    """The document language and, per token, its language, lemma and stop-word flag.

    With ``lang`` ru or kk every word is read in that language; with ``auto`` a word with evidence of its
    own language (Kazakh letters, word lists) is read in it, and any other in the document's language.
    The one place this logic lives: the fast path and the spaCy component both call it.
    """
    own = [token_language(t) if t[0].isalpha() else None for t in tokens]
    doc_lang = lang if lang != "auto" else language_of(tokens, own).lang
    default = doc_lang if doc_lang in ("ru", "kk") else "ru"
    if lang == "auto":
        langs = [(o or default) if t[0].isalpha() else None for t, o in zip(tokens, own)]
    else:
        langs = [default if t[0].isalpha() else None for t in tokens]
    get = _WORDS.get
    found = [get((t, lg)) or _word(t, lg) if lg else (t.lower(), True) for t, lg in zip(tokens, langs)]
    lemmas = [f[0] for f in found]
    stops = [f[1] for f in found]
    return Annotated(doc_lang, tokens, langs, lemmas, stops)


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
        for tok, lang, lemma, stop in zip(doc, a.langs, a.lemmas, a.stops):
            tok.lemma_ = lemma
            tok._.lang = lang
            tok._.stop = stop
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
        return [TokenInfo(*x) for x in zip(a.tokens, a.lemmas, a.stops, a.langs)]

    @property
    def word_lemmas(self) -> list[str]:
        """Lemmas of all words, stop words included (for names and regions)."""
        a = self.annotated
        return [lemma for lemma, lang in zip(a.lemmas, a.langs) if lang is not None]

    @property
    def content_lemmas(self) -> list[str]:
        """Lemmas of the words that carry content: what topics and marker scores count."""
        a = self.annotated
        return [lemma for lemma, lang, stop in zip(a.lemmas, a.langs, a.stops) if lang is not None and not stop]


def analyze(texts: Iterable[str], lang: str = "auto") -> Iterator[Analysis]:
    """Normalise, tokenise and annotate each text (the fast path: no spaCy Doc is built)."""
    for text in texts:
        norm = normalize(text)
        yield Analysis(annotate([t for t in tokenize(norm.text) if t != "\n"], lang), norm)


def lemmatize_phrase(text: str) -> list[str]:
    """Lemmas of the words of a short name or phrase (stop words too), for gazetteers and lexicons."""
    return next(analyze([text])).word_lemmas
