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
from functools import cached_property, lru_cache
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
# Participles that take noun endings and read as their verb (болған-ы-м-а → болу).
PARTICIPLES = ("ған", "ген", "қан", "кен", "атын", "етін", "йтын", "йтін")
# Nouns made with -лық/-лік (барлық, наразылық) are never verb roots.
NOUN_ONLY_ENDINGS = ("лық", "лік", "дық", "дік", "тық", "тік")
# Forms that look inflected but are words of their own.
LEXICALISED = {"бірге", "кейін", "бойынша", "туралы", "арқылы", "үшін", "бірақ", "сондықтан", "қазір", "бүгін",
               "ертең", "кеше", "бұрын", "соң", "дейін", "бері", "қарай", "сияқты", "және", "немесе", "тағы",
               "барлық", "көп", "жоқ", "бар", "емес", "ғана", "сайлау", "қатысу", "беру", "келу", "ала", "ана",
               # adjectives, adverbs and pronouns that read as a shorter stem plus a possessive, accusative or
               # case ending (жақ-сы, ой-ы-н, бәр-і): the word is far commoner than the inflected reading
               "жақсы", "мүмкін", "басқа", "тегін", "дәмді", "көңілді", "бәрі", "ойын", "жеке", "ерте", "осы",
               "ағайын", "күшті", "қатты", "мықты", "әдемі", "керек", "сосын", "содан", "енді", "әрі", "тек",
               "секілді", "жайлы", "байланысты", "қатысты", "пайдалы", "сапалы", "ыңғайлы", "қызықты", "түсінікті",
               "мейірімді", "маңызды", "қажетті", "міндетті", "қымбат", "тамаша", "керемет", "наразы", "әрине",
               "қандай", "қалай", "сондай", "мұндай", "неге", "қашан", "қайда", "мына", "міне", "тіпті", "өте",
               "шағым", "шешім", "білім", "өнім",
               # short common words that informal spelling confuses with others (кым: кім, not қым)
               "күн", "сөз", "бұл", "кім", "іш", "қол", "өз", "үй", "ең", "екі", "бір", "көз", "сіз", "біз"}
LOCATIVE = frozenset({"нда", "нде", "да", "де", "та", "те"})
# Case forms used only after a possessive ending (облыс-ы-нда, үй-і-не): stripping one must strip a possessive next.
AFTER_POSSESSIVE = frozenset({"нда", "нде", "нан", "нен", "на", "не", "а", "е", "н"})
# First- and second-person possessives are stripped only from stems of 4+ letters (шағым is a word, not шағ-ым).
SHORT_POSSESSIVE = frozenset({"ым", "ім", "м", "ың", "ің", "ң"})
# Personal predicate endings on nouns and adjectives (қуаныштымын, дайынбыз); not -сыз, which also makes
# adjectives of nouns (жұмыссыз).
PREDICATE = ("мын", "мін", "бын", "бін", "пын", "пін", "мыз", "міз", "быз", "біз", "пыз", "піз", "сың", "сің")
_STRIP_ORDER = (PREDICATE, ATTRIBUTIVE, CASE, POSSESSIVE, PLURAL)
# Person endings of imperatives and the optative, which follow the root itself (беріңіз, болайық); the others
# need a tense or mood first (бар-ды-м, бар-а-мын).
PERSON_WITHOUT_TENSE = frozenset({"ыңыз", "іңіз", "ңыз", "ңіз", "ыңдар", "іңдер", "ңдар", "ңдер", "сыздар",
                                  "сіздер", "ңыздар", "ңіздер", "ыңыздар", "іңіздер", "йық", "йік", "айық", "ейік"})
# Forms of pronouns that are no stem plus suffix (мен → маған, менің).
PRONOUN_FORMS = {"маған": "мен", "менің": "мен", "мені": "мен", "менде": "мен", "менен": "мен", "саған": "сен",
                 "сенің": "сен", "сені": "сен", "сенде": "сен", "оның": "ол", "оған": "ол", "оны": "ол",
                 "онда": "ол", "одан": "ол", "онымен": "ол", "бізге": "біз", "біздің": "біз", "бізді": "біз",
                 "бізде": "біз", "бізден": "біз", "сізге": "сіз", "сіздің": "сіз", "сізді": "сіз", "сізде": "сіз",
                 "сізден": "сіз", "сіздер": "сіз", "сіздерге": "сіз", "сіздерді": "сіз", "сіздерде": "сіз",
                 "сіздердің": "сіз", "сіздерден": "сіз"}

# Which form of a suffix follows which stem ending: after a vowel, a voiced consonant or a voiceless one
# (ауыл-да, мектеп-те, қала-да; ауыл-дың, қала-ның, мектеп-тің; жақ-сы is no form: -сы follows vowels only).
# A final у or ю (сайлау, кездесу) is a consonant here. Stripping only the form that fits keeps жақсы,
# ерте and жеке whole.
_VOICELESS = frozenset("кқпстфхцчшщбвгд")
_NASAL = frozenset("мнң")
_AFTER = {
    # suffix: stem endings it follows ("V" vowel, "S" voiced consonant, "N" nasal, "T" voiceless)
    "ның": "VN", "нің": "VN", "дың": "S", "дің": "S", "тың": "T", "тің": "T",
    "ға": "VSN", "ге": "VSN", "қа": "T", "ке": "T",
    "ны": "V", "ні": "V", "ды": "SN", "ді": "SN", "ты": "T", "ті": "T",
    "да": "VSN", "де": "VSN", "та": "T", "те": "T",
    "дан": "VS", "ден": "VS", "нан": "VN", "нен": "VN", "тан": "T", "тен": "T",  # -нан after a possessive too
    "лар": "V", "лер": "V", "дар": "SN", "дер": "SN", "тар": "T", "тер": "T",
    "сы": "V", "сі": "V", "ы": "SNT", "і": "SNT",
    "м": "V", "ым": "SNT", "ім": "SNT", "ң": "V", "ың": "SNT", "ің": "SNT",
    "мыз": "V", "міз": "V", "ымыз": "SNT", "іміз": "SNT", "ңыз": "V", "ңіз": "V", "ыңыз": "SNT", "іңіз": "SNT",
}
# The same letters after a verb root: the past -ды follows vowels too (ұна-ды), unlike the accusative.
_AFTER_VERB = {
    "ды": "VSN", "ді": "VSN", "ты": "T", "ті": "T", "ған": "VSN", "ген": "VSN", "қан": "T", "кен": "T",
    "атын": "SNT", "етін": "SNT", "йтын": "V", "йтін": "V", "ады": "SNT", "еді": "SNT", "йды": "V", "йді": "V",
    "ып": "SNT", "іп": "SNT", "п": "V", "ма": "VS", "ме": "VS", "ба": "NS", "бе": "NS", "па": "T", "пе": "T",
}
_PLURAL_AFTER_SONORANT = frozenset("руйю")  # ауылдар but сайлаулар, ерлер, үйлер


def _ending_class(stem: str) -> str:
    last = stem[-1]
    if last in _VOWELS and last not in "уию":
        return "V"
    if last in _NASAL:
        return "N"
    if last in _VOICELESS:
        return "T"
    return "S"


def _allomorph_fits(stem: str, suffix: str, verb: bool = False) -> bool:
    """Whether this form of the suffix is the one that follows the stem's last sound."""
    after = (_AFTER_VERB if verb else _AFTER).get(suffix)
    if after is None:
        return True
    if suffix in ("лар", "лер") and stem[-1] in _PLURAL_AFTER_SONORANT:
        return True
    if suffix in ("дар", "дер") and stem[-1] in _PLURAL_AFTER_SONORANT:
        return False
    return _ending_class(stem) in after
_POSS_SLOT = 3


def _by_last_letter(suffixes: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Suffixes by their last letter, in their order: a form is tried only against those it can end with."""
    out: dict[str, list[str]] = {}
    for suffix in suffixes:
        out.setdefault(suffix[-1], []).append(suffix)
    return {letter: tuple(group) for letter, group in out.items()}


_BY_LAST = tuple(_by_last_letter(slot) for slot in _STRIP_ORDER)
# keyed (is the person slot, is the tense slot): person, tense, negation
_VERB_BY_LAST = {(True, False): _by_last_letter(VERB_PERSON), (False, True): _by_last_letter(VERB_TENSE),
                 (False, False): _by_last_letter(VERB_NEGATION)}


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
    if suffix in HARMONY_FREE or stem.endswith(("ов", "ев", "ин")):  # Russian-made names: Қонаев-та, Қонаев-ке
        return True
    sv = _harmony(suffix)
    return sv is None or _harmony(stem) in (None, sv)


# Stem-final consonants voiced before a vowel (жақ → жағ-ы, кітап → кітаб-ы), and passive suffixes of verbs.
_VOICED = {"қ": "ғ", "к": "г", "п": "б"}
_DEVOICED = {voiced: plain for plain, voiced in _VOICED.items()}
_PASSIVES = ("ын", "ін", "н", "ыл", "іл", "л")


def _alternations(stem: str) -> list[str]:
    """Stems a surface stem may come from: voiced finals (ғ→қ, г→к, б→п) and dropped vowels (халқ→халық)."""
    out = [stem]
    last = _DEVOICED.get(stem[-1:]) if stem else None
    if last:
        out.append(stem[:-1] + last)
    # у after a vowel is a consonant here (ауз-ы → ауыз)
    glide = stem[-2:-1] == "у" and stem[-3:-2] in _VOWELS
    if len(stem) >= 3 and stem[-1] not in _VOWELS and (stem[-2] not in _VOWELS or glide):
        vowel = "ы" if _harmony(stem) == "back" else "і"
        out.append(stem[:-1] + vowel + stem[-1])
        if last:
            out.append(stem[:-2] + stem[-2] + vowel + last)
    return out


def _infinitives(stem: str) -> tuple[str, ...]:
    """How a verb root forms its infinitive: кел → келу, шық → шығу, қой → қою."""
    voiced = stem[:-1] + _VOICED.get(stem[-1:], stem[-1:])
    forms = (stem + "у", voiced + "у")
    return forms + ((stem[:-1] + "ю",) if stem.endswith("й") else ())


@lru_cache(maxsize=1)
def kazakh_lemmatizer() -> KazakhLemmatizer:
    """The Kazakh lemmatiser with its lexicon, loaded once per process."""
    return KazakhLemmatizer.load()


class KazakhLemmatizer:
    def __init__(self, stems: set[str], verbs: set[str], domain: set[str] = frozenset()):
        self.stems = stems | verbs | domain
        self.verbs = verbs  # infinitives in -у
        self.domain = domain  # Qatysu's own stems: they win over dictionary readings (Қарағанды, not қараған-ды)
        self.lemma = lru_cache(maxsize=200_000)(self._lemma)
        # language id, neighbour detection and lemmatisation all ask about the same forms
        self.analyse = lru_cache(maxsize=200_000)(self._analyse)
        self.restore = lru_cache(maxsize=200_000)(self._restore)

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
                for suffix in _BY_LAST[i].get(form[-1], ()):
                    # a predicate ending follows a nominative or a locative (үйде-мін), no other case
                    if slot == 1 and i == 2 and suffix not in LOCATIVE:
                        continue
                    stem = form[: -len(suffix)]
                    if (not form.endswith(suffix) or len(stem) < 2 or not _fits(stem, suffix)
                            or not _allomorph_fits(stem, suffix)):
                        continue
                    # шешім and шағым are words: a vowel-initial possessive comes off a short stem only when
                    # the whole is no word of the lexicon (ұлым is ұл-ым), a bare -м or -ң only at the end (апа-м, but
                    # алаң-да, not ала-ң-да)
                    if (suffix in SHORT_POSSESSIVE and i == _POSS_SLOT and len(stem) < 4
                            and (word in self.stems if suffix[0] in _VOWELS else form != word)):
                        continue
                    # -нан/-нен is the ablative of a stem in м, н, ң (күн-нен) as well as after a possessive
                    after_poss = i == 2 and suffix in AFTER_POSSESSIVE and not (
                        suffix in ("нан", "нен") and stem[-1] in _NASAL)
                    frontier.append((stem, i + 1, after_poss))
        return results

    def _participle_verb(self, stem: str) -> str | None:
        for suffix in PARTICIPLES:
            root = stem[: -len(suffix)]
            if stem.endswith(suffix) and len(root) >= 2 and _allomorph_fits(root, suffix, verb=True):
                for candidate in _alternations(root):
                    for infinitive in _infinitives(candidate):
                        if self._is_verb(infinitive):
                            return infinitive
        return None

    def _is_verb(self, infinitive: str) -> bool:
        """A listed infinitive, or the passive of one (сайлан-у of сайла-у, талқылан-у of талқыла-у)."""
        if infinitive in self.verbs:
            return True
        stem = infinitive[:-1]
        for passive in _PASSIVES:
            if stem.endswith(passive) and stem[: -len(passive)] + "у" in self.verbs:
                return True
        return False

    def _verb_lemma(self, word: str) -> tuple[str, int] | None:
        """The infinitive and how many letters of ``word`` were stripped to reach it."""
        # қоямын is қой-а-мын: я and ю after a root in й spell й plus a vowel
        start = {word, word.replace("я", "йа").replace("ю", "йу")} if ("я" in word or "ю" in word) else {word}
        # (form, whether a person ending came off that needs a tense before it: бар-ды-м, not бала-м)
        forms = {(f, False) for f in start}
        for slot in (VERB_PERSON, VERB_TENSE, VERB_NEGATION):
            forms |= {(f[: -len(s)], slot is VERB_PERSON and s not in PERSON_WITHOUT_TENSE)
                      for f, needs in forms for s in _VERB_BY_LAST[slot is VERB_PERSON, slot is VERB_TENSE].get(f[-1:], ())
                      if f.endswith(s) and len(f) - len(s) >= 2 and _fits(f[: -len(s)], s)
                      and _allomorph_fits(f[: -len(s)], s, verb=True) and not (needs and slot is not VERB_TENSE)}
        forms = {f for f, needs in forms if not needs}
        if word[-1] in "мңкқ" and (word in self.stems or word[:-1] in self.stems):
            # бала-м is "my child" and кезек "a queue", not бал-а-м, кез-е-к: a one-letter person ending after a
            # one-letter tense is no reading of a word of the lexicon, or of one with a possessive -м, -ң
            forms = {f for f in forms if not (len(word) - len(f) == 2 and word[-2] in "ае")}
        # the least stripping that reaches an infinitive: беріңіздер is бер-іңіздер, not бе-р-іңіздер
        best = None
        for stem in sorted(forms):  # in a fixed order, so a tie does not depend on set order
            for candidate in _alternations(stem):
                for infinitive in _infinitives(candidate):
                    if self._is_verb(infinitive) and (best is None or len(infinitive) > len(best[0])):
                        best = (infinitive, len(word) - len(stem))
        return best

    def _lemma(self, word: str) -> str:
        word = word.lower()
        analysed = self.analyse(word)
        if analysed is None or (_KK_LETTERS.isdisjoint(word) and analysed not in LEXICALISED):
            # a word without Kazakh letters may be one typed with Russian letters; its respelling wins over
            # a bare entry of the lexicon, which lists some such spellings (жаксы, кун, калган), and over a
            # reading as stem plus suffix when it is a common word (бұл, not бу-л)
            restored = self.restore(word)
            lemma = self.analyse(restored) if restored else None
            if lemma and (analysed is None or analysed == word or lemma in LEXICALISED):
                return lemma
        return analysed or word

    def _analyse(self, word: str) -> str | None:
        """The lemma of a word whose stem (after suffixes Kazakh grammar allows) the lexicon holds, else None:
        what tells a Kazakh word without Kazakh letters (ауылда, жиналыста) from a word of another language."""
        word = word.lower()
        if word in LEXICALISED:
            return word
        if word in PRONOUN_FORMS:
            return PRONOUN_FORMS[word]
        if len(word) <= 2 or not re.search(r"[а-яәғқңөұүһі]", word):
            return word if word in self.stems else None
        stems = self._noun_stems(word)
        nouns = [k for k in (self._known(s) for s in stems) if k]
        ours = [k for k in nouns if k in self.domain]
        if not ours:
            # a participle with noun endings reads as its verb (болған-ы-м-а, кірген-нен)
            participle = next(filter(None, map(self._participle_verb, sorted(stems, key=len))), None)
            if participle and participle not in nouns:
                return participle
        # the shortest stem, Qatysu's own first; on a tie the analysed one (халқы → халық, both listed)
        noun = min(ours or nouns, key=lambda k: (len(k), k == word)) if nouns else None
        if ours:
            return noun
        # a genitive ending is a noun's (май-дың), not a verb's past with a person ending
        verb = None if noun and word.endswith(("ның", "нің", "дың", "дің", "тың", "тің")) else self._verb_lemma(word)
        # A listed word is not read as a verb over a one-letter ending (бала is not бал-а of балау). Verb roots
        # are listed like noun stems (бер, кел), so the infinitive wins when it explains as much.
        if verb and (word not in self.stems or verb[1] >= 2) and (
            noun is None or len(verb[0]) - 1 < len(noun)
            or (verb[0] in _infinitives(noun) and not noun.endswith(NOUN_ONLY_ENDINGS))
        ):
            return verb[0]
        return noun

    @cached_property
    def _skeletons(self) -> dict[str, list[str]]:
        """Stems, their voiced variants (жақ → жағ-ы) and verb roots (ұна-у), by their spelling in Russian letters."""
        forms = self.stems | {verb[:-1] for verb in self.verbs}
        forms |= {form[:-1] + _VOICED[form[-1]] for form in forms if form[-1:] in _VOICED}
        ordered = sorted(form for form in forms if len(form) >= 2)  # a fixed order, whatever the hash seed
        out: dict[str, list[str]] = {}
        # one translate() over all forms: the lexicon is indexed as each worker process starts
        for form, typed in zip(ordered, skeleton("\n".join(ordered)).split("\n")):
            out.setdefault(typed, []).append(form)
        return out

    @cached_property
    def _heads(self) -> frozenset[str]:
        """Skeletons of every form a word read by :meth:`analyse` can begin with, for :meth:`may_read`: the
        restoring index's stems, verb roots and voiced finals, plus what else :func:`_alternations` and
        :func:`_infinitives` undo (халқ-ы of халық, шық- of шығу, қой- of қою) and the words analysed whole.
        A passive root (сайлан-) is its verb's root followed by a passive suffix, which the chain pattern allows."""
        roots = set(self.stems)
        extra = set(LEXICALISED) | set(PRONOUN_FORMS)
        for verb in self.verbs:
            root = verb[:-1]
            if verb.endswith("ю"):
                roots.add(root + "й")
                continue
            if root[-1:] in _DEVOICED:
                roots.add(root[:-1] + _DEVOICED[root[-1]])
            if root[-1:] in "ыі":
                extra.add(root[:-1])  # the vowel of a root dropped before passive -н (root-ы-н read from root-н)
            roots.add(root)
        for root in roots:
            if len(root) >= 3 and root[-2] in "ыі":  # халық read from халқ-ы, with a voiced final too
                extra.add(root[:-2] + root[-1])
                extra.add(root[:-2] + _VOICED.get(root[-1], root[-1]))
        extra.update(root for root in roots if root not in self.stems)
        extra.update(root[:-1] + _VOICED[root[-1]] for root in roots - self.stems if root[-1:] in _VOICED)
        return frozenset(self._skeletons).union(skeleton("\n".join(extra)).split("\n"))

    def may_read(self, word: str) -> bool:
        """Whether :meth:`analyse` or :meth:`restore` could read the word at all: it must be, in letters typed
        without Kazakh ones, a stem's form followed by a chain of suffixes Kazakh grammar allows. A set look-up
        per prefix and a pattern, so that language id asks the full analyses only of words that pass (most words
        the Russian dictionary lacks are names and new Russian words, which fail here)."""
        sk = skeleton(word.lower())
        heads = self._heads
        for form in {sk, sk.replace("я", "иа").replace("ю", "иу")}:  # қоямын is қой-а-мын
            for cut in range(1, len(form) + 1):
                if form[:cut] in heads and _CHAIN.fullmatch(form, cut):
                    return True
        return False

    def restores_whole(self, word: str) -> bool:
        """Whether the word, as a whole, is a word of the lexicon typed with Russian letters (кун: күн, оте:
        өте) — a dictionary look-up, cheap enough to ask of every short Russian word."""
        word = word.lower()
        return any(stem != word and _respells(word, stem) for stem in self._skeletons.get(skeleton(word), ()))

    def _restore(self, word: str) -> str | None:
        """The Kazakh spelling of a word typed with Russian letters (унады → ұнады, жаксы → жақсы, колым →
        қолым), or None: a stem of the lexicon whose Russian-letter spelling begins the word, its ending
        respelt by the stem's vowel harmony, kept only when the whole reads as stem plus valid suffixes.
        Among stems that fit, the one needing the likeliest substitutions wins (к→қ before у→ұ/ү before
        и→і before о→ө, г→ғ, н→ң, а→ә, х→һ)."""
        word = word.lower()
        if len(word) < 2 or not _CYRILLIC_WORD.fullmatch(word):
            return None
        sk = skeleton(word)
        index = self._skeletons
        best: tuple[float, str] | None = None
        # a stem of two letters only as the whole word (ен: ең): shorter stems fit too many Russian words
        for cut in range(len(word), 2 if len(word) > 2 else 1, -1):
            for stem in index.get(sk[:cut], ()):
                if not _respells(word[:cut], stem):
                    continue
                for ending in _respelt_endings(word[cut:], stem):
                    candidate = stem + ending
                    lemma = self.analyse(candidate) if candidate != word else None
                    if lemma and (len(word) > 2 or candidate in LEXICALISED):
                        # common words first (көп over қоп, бәрі over бар-ы), then the likeliest substitutions
                        cost = (_substitution_cost(word, candidate) + 0.5 * (len(word) > cut) - 0.01 * cut
                                - 10 * (candidate in LEXICALISED or lemma in PRONOUN_FORMS.values()))
                        if best is None or (cost, candidate) < best:  # ties by spelling, not by set order
                            best = (cost, candidate)
            if best is not None:
                return best[1]
        return None


_KK_LETTERS = frozenset("әғқңөұүһі")
_CYRILLIC_WORD = re.compile(r"[а-яёәғқңөұүһі]+")
# Kazakh letters and the Russian ones typed for them; і, ы, и and й fall together, as informal spelling mixes them.
_SKELETON = (("қ", "к"), ("ғ", "г"), ("ң", "н"), ("ә", "а"), ("ө", "о"), ("ұ", "у"), ("ү", "у"), ("һ", "х"),
             ("і", "и"), ("ы", "и"), ("й", "и"), ("ё", "е"))
# Cost of each substitution, in the order of likelihood of informal spelling.
_COST = {("к", "қ"): 1, ("у", "ұ"): 2, ("у", "ү"): 2, ("и", "і"): 3, ("ы", "і"): 3, ("и", "й"): 3, ("и", "ы"): 3,
         ("о", "ө"): 4, ("г", "ғ"): 5, ("н", "ң"): 6, ("а", "ә"): 7, ("х", "һ"): 8, ("е", "ә"): 7}


def skeleton(word: str) -> str:
    """A word as typed without Kazakh letters (қол → кол, күшті → кушти). Replaced letter by letter: faster than
    ``str.translate``, which looks each character of a Cyrillic text up in a dict, for a word and more so for the
    lexicon, which is indexed by one call over all its words as each process starts."""
    for kazakh_letter, typed in _SKELETON:
        word = word.replace(kazakh_letter, typed)
    return word


def _chain(*slots: tuple[str, ...]) -> str:
    """A pattern for suffixes of the slots in this order, each slot optional, in skeleton letters."""
    return "".join("(?:" + "|".join(sorted({skeleton(s) for s in slot}, key=len, reverse=True)) + ")?"
                   for slot in slots)


# Every suffix chain analyse() strips, innermost first: a noun's, a verb's, a participle's with a noun's after it.
_NOUN_CHAIN = _chain(PLURAL, POSSESSIVE, CASE, ATTRIBUTIVE, PREDICATE)
# A verb's root may carry a passive suffix first (сайла-н-ды), and a root in й before -ю (қой-ыл-й of қойылю).
_PASSIVE = _chain(_PASSIVES, ("й",))
_CHAIN = re.compile("|".join((_NOUN_CHAIN, _PASSIVE + _chain(VERB_NEGATION, VERB_TENSE, VERB_PERSON),
                              _PASSIVE + "(?:" + "|".join(map(skeleton, PARTICIPLES)) + ")" + _NOUN_CHAIN)))


def _respells(typed: str, stem: str) -> bool:
    """Whether every letter typed is the stem's own or a plain letter typed for it."""
    return all(a == b or (a, b) in _COST for a, b in zip(typed, stem))


def _substitution_cost(typed: str, restored: str) -> float:
    return sum(_COST.get((a, b), 0) for a, b in zip(typed, restored) if a != b)


def _respelt_endings(ending: str, stem: str) -> list[str]:
    """The suffixes an ending typed in Russian letters may stand for after ``stem``: і/ы by the stem's
    harmony, қ/ғ after back stems, й for и beside a vowel, and ң for н where it may be one (at most 4 variants)."""
    if not ending:
        return [""]
    back = _harmony(stem) != "front"
    letters = []
    for i, ch in enumerate(ending):
        before = ending[i - 1] if i else stem[-1]
        after = ending[i + 1] if i + 1 < len(ending) else ""
        if ch in "иы" and (before in _VOWELS - {"у"} or after in _VOWELS - {"у"}) and ch == "и":
            letters.append(("й",))
        elif ch in "иыі":
            letters.append(("ы",) if back else ("і",))
        elif ch == "к" and back:
            letters.append(("қ",))
        elif ch == "г" and back:
            letters.append(("ғ",))
        elif ch == "н" and (not after or after not in _VOWELS):
            letters.append(("н", "ң"))
        else:
            letters.append((ch,))
    variants = [""]
    for options in letters:
        variants = [v + o for v in variants for o in options][:4]
    return variants
