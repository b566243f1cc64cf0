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


def annotate(tokens: list[str], lang: str = "auto") -> tuple[str, list[TokenInfo]]:
    """The document language and, per token, its language, lemma and stop-word flag.

    With ``lang`` ru or kk every word is read in that language; with ``auto`` a word with evidence of its
    own language (Kazakh letters, word lists) is read in it, and any other in the document's language.
    The one place this logic lives: the fast path and the spaCy component both call it.
    """
    ru, kk = lemmatizers()
    word_langs = [token_language(t) if t[0].isalpha() else None for t in tokens]
    doc_lang = lang if lang != "auto" else language_of(tokens, word_langs).lang
    default = doc_lang if doc_lang in ("ru", "kk") else "ru"
    stops = stop_words()
    out = []
    for token, own in zip(tokens, word_langs):
        if not token[0].isalpha():
            out.append(TokenInfo(token, token.lower(), True, None))
            continue
        word_lang = own or default if lang == "auto" else default
        lemma = (kk if word_lang == "kk" else ru).lemma(token)
        out.append(TokenInfo(token, lemma, lemma in stops[word_lang] or len(lemma) < 2, word_lang))
    return doc_lang, out


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
        doc_lang, infos = annotate([t.text for t in doc], self.lang)
        doc._.lang = doc_lang
        for tok, info in zip(doc, infos):
            tok.lemma_ = info.lemma
            tok._.lang = info.lang
            tok._.stop = info.is_stop
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
    lang: str
    tokens: list[TokenInfo]
    normalized: Normalized

    @property
    def words(self) -> list[TokenInfo]:
        return [t for t in self.tokens if t.lang is not None]

    @property
    def content_lemmas(self) -> list[str]:
        """Lemmas of the words that carry content: what topics and marker scores count."""
        return [t.lemma for t in self.tokens if t.lang is not None and not t.is_stop]


def analyze(texts: Iterable[str], lang: str = "auto") -> Iterator[Analysis]:
    """Normalise, tokenise and annotate each text (the fast path: no spaCy Doc is built)."""
    for text in texts:
        norm = normalize(text)
        doc_lang, infos = annotate([t for t in tokenize(norm.text) if t != "\n"], lang)
        yield Analysis(doc_lang, infos, norm)


def lemmatize_phrase(text: str) -> list[str]:
    """Lemmas of the words of a short name or phrase (stop words too), for gazetteers and lexicons."""
    _, infos = annotate(tokenize(normalize(text).text))
    return [t.lemma for t in infos if t.lang is not None]
