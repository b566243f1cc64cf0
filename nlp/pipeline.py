"""The spaCy pipeline: ``blank("ru")`` tokenisation (it serves Kazakh Cyrillic as well) and Qatysu's
registered lemmatizer component, which gives every token a language, a lemma and a stop-word flag."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token

from nlp.kazakh import KazakhLemmatizer
from nlp.langid import detect, token_language
from nlp.normalize import Normalized, normalize
from nlp.russian import RussianLemmatizer
from nlp.stopwords import is_stop

for _cls, _name in ((Doc, "lang"), (Token, "lang"), (Token, "stop")):
    if not _cls.has_extension(_name):
        _cls.set_extension(_name, default=None)


@lru_cache(maxsize=1)
def lemmatizers() -> tuple[RussianLemmatizer, KazakhLemmatizer]:
    return RussianLemmatizer(), KazakhLemmatizer.load()


class QatysuLemmatizer:
    """Per document: the language (or a forced one); per token: language, lemma, stop-word flag."""

    def __init__(self, lang: str = "auto"):
        self.lang = lang
        self.ru, self.kk = lemmatizers()

    def __call__(self, doc: Doc) -> Doc:
        doc_lang = self.lang if self.lang != "auto" else detect(doc.text).lang
        doc._.lang = doc_lang
        default = doc_lang if doc_lang in ("ru", "kk") else "ru"
        for tok in doc:
            if not tok.is_alpha:
                tok.lemma_ = tok.lower_
                tok._.stop = True
                continue
            lang = default if self.lang != "auto" else token_language(tok.text) or default
            lemma = (self.kk if lang == "kk" else self.ru).lemma(tok.text)
            tok.lemma_ = lemma
            tok._.lang = lang
            tok._.stop = is_stop(lemma, lang)
        return doc


@Language.factory("qatysu_lemmatizer", default_config={"lang": "auto"})
def make_lemmatizer(nlp: Language, name: str, lang: str) -> QatysuLemmatizer:
    return QatysuLemmatizer(lang)


@lru_cache(maxsize=4)
def pipeline(lang: str = "auto") -> Language:
    nlp = spacy.blank("ru")
    nlp.add_pipe("qatysu_lemmatizer", config={"lang": lang})
    return nlp


@dataclass
class TokenInfo:
    text: str
    lemma: str
    is_stop: bool
    lang: str | None


@dataclass
class Analysis:
    lang: str
    tokens: list[TokenInfo]
    normalized: Normalized
    regions: list = field(default_factory=list)

    @property
    def content_lemmas(self) -> list[str]:
        """Lemmas of the words that carry content: what topics and marker scores count."""
        return [t.lemma for t in self.tokens if not t.is_stop]


def analyze(texts: Iterable[str], lang: str = "auto", batch_size: int = 256) -> Iterator[Analysis]:
    """Normalise, tokenise and lemmatise each text; results in input order."""
    normalized = [normalize(t) for t in texts]
    docs = pipeline(lang).pipe((n.text for n in normalized), batch_size=batch_size)
    for norm, doc in zip(normalized, docs):
        tokens = [TokenInfo(t.text, t.lemma_, bool(t._.stop), t._.lang) for t in doc if not t.is_space]
        yield Analysis(doc._.lang, tokens, norm)


def lemmatize_phrase(text: str) -> list[str]:
    """Lemmas of a short name or phrase (all words, stop words too), for gazetteers and lexicons."""
    doc = pipeline("auto")(normalize(text).text)
    return [t.lemma_ for t in doc if t.is_alpha or "-" in t.text]
