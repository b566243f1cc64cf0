"""Kazakh lemmatisation: suffix stripping that respects vowel harmony, checked against a stem lexicon.

The lexicon is Debian's ``hunspell-kk`` word list (``/usr/share/hunspell/kk_KZ.dic``, 54k entries: noun
and verb stems, verb infinitives in ``-у``, and some inflected forms) plus Qatysu's own domain stems.
A word is analysed as stem + suffixes in the order Kazakh grammar allows (noun: plural, possessive,
case, the attributive ``-ғы``; verb: negation, tense or mood, person); the analysis that leaves the
shortest stem found in the lexicon wins, after undoing stem alternations (``наразылығы`` → ``наразылық``,
``халқы`` → ``халық``). Verbs are lemmatised to the infinitive (``береді`` → ``беру``). Without the
dictionary (e.g. on macOS) the same rules run against the domain lexicon only, with one warning.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

log = logging.getLogger(__name__)

HUNSPELL_DIC = Path("/usr/share/hunspell/kk_KZ.dic")
BACK, FRONT = set("аоұыя"), set("әөүіеэиюё")
_VOWELS = BACK | FRONT | {"у"}

# Suffix slots, outermost first. Each suffix is listed in all its harmonic and assimilated forms.
# The attributive -ғы/-гі after a locative (облыстар-дағы); bare -ғы is too ambiguous (халқы is халық-ы).
ATTRIBUTIVE = ("дағы", "дегі", "тағы", "тегі", "ндағы", "ндегі")
CASE = (
    "ның", "нің", "дың", "дің", "тың", "тің",  # genitive
    "ға", "ге", "қа", "ке", "на", "не", "а", "е",  # dative
    "ны", "ні", "ды", "ді", "ты", "ті", "н",  # accusative
    "нда", "нде", "да", "де", "та", "те",  # locative
    "нан", "нен", "дан", "ден", "тан", "тен",  # ablative
    "менен", "бенен", "пенен", "мен", "бен", "пен",  # instrumental
)
POSSESSIVE = ("ымыз", "іміз", "мыз", "міз", "ыңыз", "іңіз", "ңыз", "ңіз", "ым", "ім", "м", "ың", "ің", "ң",
              "сы", "сі", "ы", "і")
PLURAL = ("лар", "лер", "дар", "дер", "тар", "тер")
VERB_PERSON = ("мын", "мін", "бын", "бін", "пын", "пін", "мыз", "міз", "быз", "біз", "пыз", "піз", "сыз", "сіз",
               "сың", "сің", "ңдар", "ңдер", "сыздар", "сіздер", "ңыздар", "ңіздер", "ыңыздар", "іңіздер",
               "ыңыз", "іңіз", "ңыз", "ңіз", "ыңдар", "іңдер", "м", "ң", "қ", "к", "йық", "йік", "айық", "ейік")
VERB_TENSE = ("атын", "етін", "йтын", "йтін", "ады", "еді", "йды", "йді", "ған", "ген", "қан", "кен",
              "ды", "ді", "ты", "ті", "мақ", "мек", "пақ", "пек", "бақ", "бек", "ар", "ер", "р", "са", "се",
              "ып", "іп", "п", "сын", "сін", "а", "е", "й", "уда", "уде", "атын")
VERB_NEGATION = ("ма", "ме", "ба", "бе", "па", "пе")
# Nouns made with -лық/-лік (барлық, наразылық) are never verb roots.
NOUN_ONLY_ENDINGS = ("лық", "лік", "дық", "дік", "тық", "тік")
# Forms that look inflected but are words of their own.
LEXICALISED = {"бірге", "кейін", "бойынша", "туралы", "арқылы", "үшін", "бірақ", "сондықтан", "қазір", "бүгін",
               "ертең", "кеше", "бұрын", "соң", "дейін", "бері", "қарай", "сияқты", "және", "немесе", "тағы",
               "барлық", "көп", "жоқ", "бар", "емес", "ғана", "сайлау", "қатысу", "беру", "келу", "ала", "ана"}
# Case forms used only after a possessive ending (облыс-ы-нда, үй-і-не): stripping one must strip a possessive next.
AFTER_POSSESSIVE = frozenset({"нда", "нде", "нан", "нен", "на", "не", "а", "е", "н"})
# First- and second-person possessives are stripped only from stems of 4+ letters (шағым is a word, not шағ-ым).
SHORT_POSSESSIVE = frozenset({"ым", "ім", "м", "ың", "ің", "ң"})
_STRIP_ORDER = (ATTRIBUTIVE, CASE, POSSESSIVE, PLURAL)
_POSS_SLOT = 2


def _harmony(word: str) -> str | None:
    for i in range(len(word) - 1, -1, -1):
        ch = word[i]
        if ch in BACK:
            return "back"
        if ch in FRONT:
            return "front"
        # у before a consonant is the vowel [u] of a loanword (референдум-ға); at the end it is the glide of
        # an infinitive or verbal noun (кездесу-і, сайлау-ға) and harmony follows the vowel before it
        if ch == "у" and i + 1 < len(word) and word[i + 1] not in _VOWELS:
            return "back"
    return None


# The instrumental has one form whatever the stem's vowels (тұрғындар-мен, not -ман).
HARMONY_FREE = frozenset({"мен", "бен", "пен", "менен", "бенен", "пенен"})


def _fits(stem: str, suffix: str) -> bool:
    """Vowel harmony: a suffix with a vowel agrees with the stem's last vowel."""
    if suffix in HARMONY_FREE:
        return True
    sv = _harmony(suffix)
    return sv is None or _harmony(stem) in (None, sv)


def _alternations(stem: str) -> list[str]:
    """Stems a surface stem may come from: voiced finals (ғ→қ, г→к, б→п) and dropped vowels (халқ→халық)."""
    out = [stem]
    last = {"ғ": "қ", "г": "к", "б": "п"}.get(stem[-1:]) if stem else None
    if last:
        out.append(stem[:-1] + last)
    if len(stem) >= 3 and stem[-1] not in _VOWELS and stem[-2] not in _VOWELS:
        vowel = "ы" if _harmony(stem) == "back" else "і"
        out.append(stem[:-1] + vowel + stem[-1])
        if last:
            out.append(stem[:-2] + stem[-2] + vowel + last)
    return out


def _infinitives(stem: str) -> tuple[str, ...]:
    """How a verb root forms its infinitive: кел → келу, шық → шығу, қой → қою."""
    voiced = stem[:-1] + {"қ": "ғ", "к": "г", "п": "б"}.get(stem[-1:], stem[-1:])
    forms = (stem + "у", voiced + "у")
    return forms + ((stem[:-1] + "ю",) if stem.endswith("й") else ())


class KazakhLemmatizer:
    def __init__(self, stems: set[str], verbs: set[str], domain: set[str] = frozenset()):
        self.stems = stems | verbs | domain
        self.verbs = verbs  # infinitives in -у
        self.domain = domain  # Qatysu's own stems: they win over dictionary readings (Қарағанды, not қараған-ды)
        self.lemma = lru_cache(maxsize=200_000)(self._lemma)

    @classmethod
    def load(cls, dic: Path = HUNSPELL_DIC) -> KazakhLemmatizer:
        stems, verbs = set(), set()
        if dic.exists():
            with dic.open(encoding="utf-8-sig") as fh:
                next(fh, None)  # entry count
                for line in fh:
                    word, _, flags = line.strip().partition("/")
                    word = word.lower()
                    if not word:
                        continue
                    (verbs if flags[:1] == "M" and word.endswith(("у", "ю")) else stems).add(word)
        else:
            log.warning("Kazakh dictionary %s not found (install Debian's hunspell-kk); Kazakh lemmas come "
                        "from suffix rules and Qatysu's domain lexicon only, and are less accurate.", dic)
        domain = set()
        for line in (resources.files("qatysu.nlp") / "data" / "kk_stems.txt").read_text(encoding="utf-8").splitlines():
            word = line.split("#", 1)[0].strip().lower()
            if word:
                domain.add(word)
                if word.endswith(("у", "ю")):
                    verbs.add(word)
        return cls(stems, verbs, domain)

    def _known(self, stem: str) -> str | None:
        for candidate in _alternations(stem):
            if candidate in self.stems:
                return candidate
        return None

    def _noun_stems(self, word: str) -> list[str]:
        """Every stem reachable by stripping suffix slots in grammatical order (outermost first)."""
        results = []
        frontier = [(word, 0, False)]
        while frontier:
            form, slot, need_poss = frontier.pop()
            if not need_poss:
                results.append(form)
            slots = range(_POSS_SLOT, _POSS_SLOT + 1) if need_poss else range(slot, len(_STRIP_ORDER))
            for i in slots:
                for suffix in _STRIP_ORDER[i]:
                    stem = form[: -len(suffix)]
                    if not form.endswith(suffix) or len(stem) < 2 or not _fits(stem, suffix):
                        continue
                    if suffix in SHORT_POSSESSIVE and i == _POSS_SLOT and len(stem) < 4:
                        continue
                    frontier.append((stem, i + 1, i == 1 and suffix in AFTER_POSSESSIVE))
        return results

    def _is_verb(self, infinitive: str) -> bool:
        """A listed infinitive, or the passive of one (сайлан-у of сайла-у, талқылан-у of талқыла-у)."""
        if infinitive in self.verbs:
            return True
        stem = infinitive[:-1]
        for passive in ("ын", "ін", "н", "ыл", "іл", "л"):
            if stem.endswith(passive) and stem[: -len(passive)] + "у" in self.verbs:
                return True
        return False

    def _verb_lemma(self, word: str) -> tuple[str, int] | None:
        """The infinitive and how many letters of ``word`` were stripped to reach it."""
        forms = {word}
        for slot in (VERB_PERSON, VERB_TENSE, VERB_NEGATION):
            forms |= {f[: -len(s)] for f in forms for s in slot if f.endswith(s) and len(f) - len(s) >= 2
                      and _fits(f[: -len(s)], s)}
        # the least stripping that reaches an infinitive: беріңіздер is бер-іңіздер, not бе-р-іңіздер
        best = None
        for stem in forms:
            for candidate in _alternations(stem):
                for infinitive in _infinitives(candidate):
                    if self._is_verb(infinitive) and (best is None or len(infinitive) > len(best[0])):
                        best = (infinitive, len(word) - len(stem))
        return best

    def _lemma(self, word: str) -> str:
        word = word.lower()
        if word in LEXICALISED or len(word) <= 2 or not re.search(r"[а-яәғқңөұүһі]", word):
            return word
        nouns = [k for k in (self._known(s) for s in self._noun_stems(word)) if k]
        ours = [k for k in nouns if k in self.domain]
        # the shortest stem, Qatysu's own first; on a tie the analysed one (халқы → халық, both listed)
        noun = min(ours or nouns, key=lambda k: (len(k), k == word)) if nouns else None
        if ours:
            return noun
        verb = self._verb_lemma(word)
        # A listed word is not read as a verb over a one-letter ending (бала is not бал-а of балау). Verb roots
        # are listed like noun stems (бер, кел), so the infinitive wins when it explains as much.
        if verb and (word not in self.stems or verb[1] >= 2) and (
            noun is None or len(verb[0]) - 1 < len(noun)
            or (verb[0] in _infinitives(noun) and not noun.endswith(NOUN_ONLY_ENDINGS))
        ):
            return verb[0]
        return noun or word
