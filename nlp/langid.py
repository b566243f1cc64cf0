"""Language of posts and of runs of words: Russian, Kazakh, both, or neither.

Letter evidence first: ә ғ қ ң ө ұ ү һ і occur in Kazakh, not in Russian. Words without them are weighed
with word lists (Kazakh function words; Russian words known to the pymorphy3 dictionary), since short
Kazakh posts often lack the special letters and Russian posts quote Kazakh names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pymorphy3

from nlp.russian import domain_forms

KK_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
_LATIN = re.compile(r"[A-Za-z]")
# Kazakh words and endings written with letters Russian shares.
KK_WORDS = frozenset("""
мен бен пен деп деген дейді туралы бойынша арасында жаңа бар жоқ бір екі осы олар бұл жыл жылы
сайлау сайлауда сайлауға сайлаудың облысы облысында ауданы ауылы қаласы бірге барлық емес керек
тиіс жатыр болды болып болады бастап дейін кейін бері осында сонда мына анау бізге сізге оларға
""".split())
KK_ENDINGS = ("лар", "лер", "дар", "дер", "тар", "тер", "ның", "нің", "дың", "дің", "тың", "тің", "ға", "ге",
              "қа", "ке", "ды", "ді", "ты", "ті", "ған", "ген", "атын", "етін", "ады", "еді", "мыз", "міз")
RU_ONLY_LETTERS = frozenset("щъэё")


@lru_cache(maxsize=1)
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def token_language(word: str) -> str | None:
    """``kk`` or ``ru`` for a word with evidence either way, None for a word both languages could hold."""
    if any(ch in KK_LETTERS for ch in word):
        return "kk"
    lower = word.lower()
    if not _CYRILLIC.search(lower):
        return None
    if lower in KK_WORDS:
        return "kk"
    if lower in domain_forms():
        return "ru"
    if any(ch in RU_ONLY_LETTERS for ch in lower):
        return "ru"
    if len(lower) >= 2 and _morph().word_is_known(lower):
        return "ru"
    if len(lower) >= 5 and lower.endswith(KK_ENDINGS):
        return "kk"
    return None


@dataclass(frozen=True)
class LanguageGuess:
    lang: str  # ru, kk, mixed, other or und
    kk_share: float  # share of Kazakh among words with evidence
    evidence: int  # words with evidence


def detect(text: str) -> LanguageGuess:
    """Post language: ``kk`` or ``ru`` when one language holds ≥80% of the words with evidence, ``mixed``
    between; ``other`` for text in another script, ``und`` when there is too little to tell."""
    words = _WORD.findall(text)
    votes = [lang for lang in map(token_language, words) if lang]
    if len(votes) < 1:
        latin = sum(1 for w in words if _LATIN.match(w))
        return LanguageGuess("other" if latin >= 3 else "und", 0.0, 0)
    kk = votes.count("kk") / len(votes)
    if kk >= 0.8:
        lang = "kk"
    elif kk <= 0.2:
        lang = "ru"
    else:
        lang = "mixed"
    return LanguageGuess(lang, kk, len(votes))


def runs(words: list[str], default: str) -> list[tuple[str, int, int]]:
    """Runs of consecutive words in one language: (lang, first, last+1); words without evidence join the run
    they sit in, or take ``default``."""
    langs = [token_language(w) for w in words]
    out: list[tuple[str, int, int]] = []
    current, start = None, 0
    for i, lang in enumerate(langs):
        if lang and current and lang != current:
            out.append((current, start, i))
            start = i
        current = lang or current
    if words:
        out.append((current or default, start, len(words)))
    return out
