"""The participation lexicon: categories of lemmas by form of participation, rhetoric and theme.

Terms are lemma sequences as the processing step writes them, so a category is found in a post by looking
at its stored lemmas. The shipped YAML can be extended with a researcher's own files of the same shape.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

GROUPS = ("form", "rhetoric", "theme")
DIRECTIONS = (None, "mobilising", "demobilising")
LANGS = ("ru", "kk")


class LexiconError(ValueError):
    """A lexicon file that cannot be read: the message names the file and the entry."""


@dataclass(frozen=True)
class Term:
    term: str  # lemmas separated by single spaces
    lang: str
    category: str
    source: str

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.term.split(" "))


@dataclass(frozen=True)
class Category:
    name: str
    group: str
    direction: str | None
    description: str
    source: str


@dataclass
class Lexicon:
    version: str
    categories: dict[str, Category]
    terms: list[Term]
    sources: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def rows(self) -> list[tuple[str, str, str]]:
        """(category, lang, term) for every term."""
        return [(t.category, t.lang, t.term) for t in self.terms]

    def seed_topics(self, langs: Iterable[str]) -> list[list[str]]:
        """One word list per category, for guided topic models: its terms in these languages, a multi-word
        term as the processing step's phrase token (lemmas joined by ``_``)."""
        langs = set(langs)
        seeds: dict[str, list[str]] = {}
        for t in self.terms:
            if t.lang in langs:
                seeds.setdefault(t.category, []).append("_".join(t.words))
        return [words for words in seeds.values() if words]


def _read(path: Path | None) -> tuple[str, dict[str, Any]]:
    name = str(path) if path else "the shipped lexicon"
    try:
        text = path.read_text("utf-8") if path else (
            resources.files("qatysu.models") / "data" / "participation_lexicon.yaml").read_text("utf-8")
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise LexiconError(f"{name}: cannot read it as YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("categories"), dict):
        raise LexiconError(f"{name}: expected a mapping with `categories:`")
    return name, data


def load_lexicon(extra: Iterable[Path] = ()) -> Lexicon:
    """The shipped lexicon, extended by the given files in order."""
    lexicon = Lexicon(version="", categories={}, terms=[])
    for path in (None, *extra):
        name, data = _read(path)
        lexicon.files.append(name)
        lexicon.version = "+".join(v for v in (lexicon.version, str(data.get("version", "unversioned"))) if v)
        lexicon.sources.update(data.get("sources") or {})
        for cat_name, raw in data["categories"].items():
            where = f"{name}: category {cat_name!r}"
            if not isinstance(raw, dict):
                raise LexiconError(f"{where}: expected a mapping")
            known = lexicon.categories.get(cat_name)
            group = raw.get("group", known.group if known else None)
            direction = raw.get("direction", known.direction if known else None)
            if group not in GROUPS:
                raise LexiconError(f"{where}: group must be one of {', '.join(GROUPS)} (got {group!r})")
            if direction not in DIRECTIONS:
                raise LexiconError(f"{where}: direction must be mobilising or demobilising (got {direction!r})")
            source = raw.get("source", known.source if known else None)
            if not source:
                raise LexiconError(f"{where}: every category needs a source (a key of `sources:` or a text)")
            if not known:
                lexicon.categories[cat_name] = Category(cat_name, group, direction, raw.get("description", ""),
                                                        source)
            for lang, entries in (raw.get("terms") or {}).items():
                if lang not in LANGS:
                    raise LexiconError(f"{where}: terms must be given under ru or kk (got {lang!r})")
                for entry in entries or []:
                    term, term_source = (entry.get("term"), entry.get("source", source)) if isinstance(entry, dict) \
                        else (entry, source)
                    if not isinstance(term, str) or not term.strip():
                        raise LexiconError(f"{where}: a {lang} term is empty or not text: {entry!r}")
                    lexicon.terms.append(Term(" ".join(term.split()), lang, cat_name, str(term_source)))
    return lexicon


def validate(lexicon: Lexicon, lemmatize: Callable[[str, str], list[str]]) -> list[str]:
    """Problems with the lexicon: terms not in the lemma form the processing step produces, duplicates.

    ``lemmatize(text, lang)`` gives the content lemmas that the processing step would store for a text.
    """
    problems, seen = [], set()
    for t in lexicon.terms:
        key = (t.category, t.lang, t.term)
        if key in seen:
            problems.append(f"{t.category}/{t.lang}: «{t.term}» is listed twice")
        seen.add(key)
        lemmas = lemmatize(t.term, t.lang)
        if lemmas != list(t.words):
            got = " ".join(lemmas) if lemmas else "nothing (only stop words)"
            problems.append(f"{t.category}/{t.lang}: «{t.term}» is not in lemma form: processing gives «{got}»")
    return problems
