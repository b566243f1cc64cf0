"""Language of posts and of runs of words: Russian, Kazakh, both, or neither.

Letter evidence first: ә ғ қ ң ө ұ ү һ і occur in Kazakh, not in Russian. Words without them are weighed
with word lists (Kazakh function words; Russian words known to the pymorphy3 dictionary), since short
Kazakh posts often lack the special letters and Russian posts quote Kazakh names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from qatysu.nlp.russian import domain_forms, morph_analyzer
from qatysu.nlp.tokens import CLAUSE_BREAKS, tokenize

KK_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
_LATIN = re.compile(r"[A-Za-z]")
# Kazakh words and endings written with letters Russian shares.
KK_WORDS = frozenset("""
мен бен пен деп деген дейді туралы бойынша арасында жаңа бар жоқ бір екі осы олар бұл жыл жылы
сайлау сайлауда сайлауға сайлаудың облысы облысында ауданы ауылы қаласы бірге барлық емес керек
тиіс жатыр болды болып болады бастап дейін кейін бері осында сонда мына анау бізге сізге оларға
беру береді беріңіз беріңіздер
""".split())
KK_ENDINGS = ("лар", "лер", "дар", "дер", "тар", "тер", "ның", "нің", "дың", "дің", "тың", "тің", "ға", "ге",
              "қа", "ке", "ды", "ді", "ты", "ті", "ған", "ген", "атын", "етін", "ады", "еді", "мыз", "міз")
RU_ONLY_LETTERS = frozenset("щъэё")


@lru_cache(maxsize=200_000)
def token_language(word: str) -> str | None:
    """``kk`` or ``ru`` for a word with evidence either way, None for a word both languages could hold."""
    if not KK_LETTERS.isdisjoint(word):
        return "kk"
    lower = word.lower()
    if not _CYRILLIC.search(lower):
        return None
    if lower in KK_WORDS:
        return "kk"
    if lower in domain_forms():
        return "ru"
    if not RU_ONLY_LETTERS.isdisjoint(lower):
        return "ru"
    if len(lower) >= 2 and morph_analyzer().word_is_known(lower):
        return "ru"
    if len(lower) >= 5 and lower.endswith(KK_ENDINGS):
        return "kk"
    return None


@dataclass(frozen=True)
class LanguageGuess:
    lang: str  # ru, kk, mixed, other or und
    kk_share: float  # share of words in Kazakh clauses among words in clauses of either language
    evidence: int  # words with evidence


def language_of(tokens: list[str], langs: list[str | None]) -> LanguageGuess:
    """Post language from its tokens and their languages (see :func:`detect`)."""
    if "kk" not in langs or "ru" not in langs:  # one language only: no clause needs weighing
        for lang in ("ru", "kk"):
            if lang in langs:
                return LanguageGuess(lang, float(lang == "kk"), len(langs) - langs.count(None))
        latin = sum(1 for t in tokens if _LATIN.match(t))
        return LanguageGuess("other" if latin >= 3 else "und", 0.0, 0)
    strong, weak = {"kk": 0, "ru": 0}, {"kk": 0, "ru": 0}
    evidence = latin = 0
    kk = ru = words = 0
    has_kk_letter = False
    single = ""
    for token, lang in zip(tokens + ["\n"], langs + [None]):
        if token in CLAUSE_BREAKS:
            if kk or ru:
                clause = "kk" if kk > ru or (kk == ru and has_kk_letter) else "ru"
                is_weak = words == 1 and KK_LETTERS.isdisjoint(single)
                (weak if is_weak else strong)[clause] += words
            evidence += kk + ru
            kk = ru = words = 0
            has_kk_letter = False
            continue
        if not token[0].isalpha():
            continue
        words += 1
        single = token
        if lang == "kk":
            kk += 1
            has_kk_letter = has_kk_letter or not KK_LETTERS.isdisjoint(token)
        elif lang == "ru":
            ru += 1
        elif _LATIN.match(token):
            latin += 1
    # one-word clauses count only when nothing else does: «Сайлау — так называются выборы» stays Russian
    sizes = strong if strong["kk"] or strong["ru"] else weak
    if not sizes["kk"] and not sizes["ru"]:
        return LanguageGuess("other" if latin >= 3 else "und", 0.0, evidence)
    share = sizes["kk"] / (sizes["kk"] + sizes["ru"])
    return LanguageGuess("kk" if share == 1 else "ru" if share == 0 else "mixed", share, evidence)


def detect(text: str) -> LanguageGuess:
    """Post language, clause by clause: ``kk`` or ``ru`` when every clause with evidence is in that language,
    ``mixed`` when both have clauses of their own (a Russian clause quoting a Kazakh name stays Russian);
    ``other`` for text in another script, ``und`` when there is nothing to tell by."""
    tokens = tokenize(text)
    return language_of(tokens, [token_language(t) if t[0].isalpha() else None for t in tokens])


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
