"""Language of posts and of runs of words: Russian, Kazakh, both, or neither.

Letter evidence first: ә ғ қ ң ө ұ ү һ і occur in Kazakh, not in Russian. Words without them are weighed
with word lists (Kazakh function words; Russian words known to the pymorphy3 dictionary) and with Kazakh
morphology: a stem of the hunspell-kk lexicon plus suffixes Kazakh grammar allows (ауылда, жиналыста), or a
word that reads as one once respelt with Kazakh letters (унады → ұнады). A word both dictionaries hold
(бала, сол) has no language of its own and takes that of the words around it.

Kyrgyz, Tatar, Bashkir, Uzbek, Ukrainian and Belarusian share letters with Kazakh or Russian; their texts
are ``other`` (with the language named), told by letters only they have (ҡ ҙ ҫ, җ, ў ҳ, ї є ґ), by the
rounded vowels and long vowels of Kyrgyz suffixes (өлкөнүн, шайлоо), Kyrgyz sounds where Kazakh has others
(жолу, жашаган: жолы, жасаған) and a Kyrgyz keyboard (ө but no қ), the ә of Tatar and Bashkir suffixes
(бәйрәмгә) and Tatar -лар after consonants (дуслары), and by function words, weighed against letters those
languages lack.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from spacy.lang.ru.stop_words import STOP_WORDS as SPACY_RU_STOP_WORDS

from qatysu.nlp.forms import FormTable
from qatysu.nlp.kazakh import kazakh_lemmatizer as kazakh
from qatysu.nlp.russian import dictionary_entries, domain_forms
from qatysu.nlp.tokens import CLAUSE_BREAKS, tokenize

KK_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІіЎўҲҳҠҡҘҙҪҫҖҗЇїЄєҐґ]")
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
# Russian inflections no Kazakh word ends in, formal or typed with Russian letters.
RU_INFLECTIONS = ("ого", "его", "ому", "ему", "ыми", "ими", "ями", "ами", "ться", "тся", "ешь", "ишь", "ющий",
                  "ющая", "ющие", "щий", "ская", "ские", "ский", "ской", "ских", "ское", "ция", "ции", "цию", "ость",
                  "ости", "ение", "ения", "ении", "ением", "ание", "ания", "ании", "анием", "овать", "ировал", "ах",
                  "ях", "ов", "ев", "ую", "юю", "яя", "ые", "ый")

# Neighbouring languages: the letters each lacks of Kazakh's own, so a word with one of them argues against it.
LACKS = {
    "ky": frozenset("әғқұіһ"), "tt": frozenset("ғқұі"), "ba": frozenset("құі"), "uz": frozenset("әөүұіңһ"),
    "uk": frozenset("әғқңөұүһ"), "be": frozenset("әғқңөұүһ"),
}
NEIGHBOUR_LETTERS = {"ҡ": "ba", "ҙ": "ba", "ҫ": "ba", "җ": "tt", "ї": "uk", "є": "uk", "ґ": "uk", "ҳ": "uz"}
_NEIGHBOUR_LETTER_SET = frozenset(NEIGHBOUR_LETTERS) | {"ў"}


def _any_of(letters: frozenset[str]) -> re.Pattern[str]:
    """A pattern finding any of ``letters``: for the tests asked of every new word form, several times faster
    than ``frozenset.isdisjoint(word)``, which makes a string of each Cyrillic letter it looks at."""
    return re.compile(f"[{''.join(sorted(letters))}]")


_KK_LETTER, _RU_ONLY_LETTER, _NEIGHBOUR_LETTER = map(_any_of, (KK_LETTERS, RU_ONLY_LETTERS, _NEIGHBOUR_LETTER_SET))
NEIGHBOUR_WORDS = {
    "ky": frozenset("эмес эле эч эң эми эки жана үчүн бирок ошол ушул кийин азыр өлкө шайлоо мыйзам добуш улам "
                    "тогуз мага сага ага анын алардын кантип эмне эмнеге тууралуу боюнча жатат чейин аркылуу "
                    "жаңы ооба ушундай ошондой учурда дагы аны".split()),
    "tt": frozenset("һәм белән түгел иде генә өчен юк син бу шул менә ничек нәрсә әйе алар бүген яхшы "
                    "белем көн көне күп булды була инде әле икән".split()),
    "ba": frozenset("менән ошо өсөн бына һин ине нисек быйыл".split()),
    "uz": frozenset("ва билан учун эмас лекин жуда умуман яхши бўлди бор".split()),
    "uk": frozenset("та що це цю ці від він вона вони для як але або під між із зі усі всі які який яка "
                    "було буде її їх ніж тільки також вже ще дуже коли де щоб через після свої його наші "
                    "ніхто нічого має може треба навіть наразі".split()),
    "be": frozenset("гэта гэты гэтае вельмі толькі таксама ці калі яны ён яна сёння шмат трэба няма "
                    "будзе мяне табе сабе яшчэ цяпер нешта неяк ёсць гэтае гэтыя кожны вось".split()),
}
# word → the language it is a function word of (the first listed, for a word two of them share)
_NEIGHBOUR_WORD = {word: lang for lang, words in reversed(NEIGHBOUR_WORDS.items()) for word in words}
GREETINGS = ("әссәлә", "ассала", "ассәлә", "әссала", "ғәләйк", "ғалейк", "ғәлейк", "әләйк", "алейк", "уәләйк")
_V = "аеиоуыэөүяюёәіұ"
_ROUNDED_LATER = re.compile(f"[{_V}][^{_V}]+[өү]")  # ө/ү after the first syllable
# a doubled vowel, not a longer run (шайлоо, жооп; not оооте); уу inside or at the end of a long word
_LONG_VOWEL = re.compile(r"(?<![аоөүыэ])(аа|оо|өө|үү|ыы|ээ)(?![аоөүыэ])|\w\w[^уү\W]уу(?:[^уү\W]|$)")
_KY_MORPHS = re.compile(r"(ыбыз|ибиз|убуз|үбүз)|[^аеиоуыэөүяюёәіұ](ыш|иш)[^аеиоуыэөүяюёәіұ]")
_BE_PATTERN = re.compile(r"ць$|цца$|дз|^гэт|скі")
_KY_LATER_O = re.compile(f"[{_V}][^{_V}]+[оө]")  # о/ө after the first syllable
_KY_ENDINGS = ("үп", "ду", "дү", "гу", "гү", "чу", "чү", "гон", "гөн", "байт", "пайт", "майт", "ий", "ый")
_TURKIC_SUFFIXES = ("га", "гә", "да", "дә", "лар", "ләр", "ны", "не", "ның", "нең")
_UZ_I = re.compile(r"[^аеиоуыэөүәяюёіұй]и[^аеиоуыэөүәяюёіұй]")
_AE_LATER = re.compile(f"[{_V}][^{_V}]+ә")  # ә after the first syllable
# Kyrgyz sounds where Kazakh has others, and the Kazakh ones: a final -у of the possessive or accusative after
# о or у (жолу, колу: жолы, қолы); ш for с (жаш, баш: жас, бас).
_KY_ROUNDED_TO_KK = ((re.compile(f"(?<=[оу][^{_V}])у$|(?<=[оу][^{_V}]{{2}})у$"), "ы"),)
_KY_SH_TO_KK = ((re.compile("ш"), "с"),)
# -лар/-лер/-ләр after a consonant other than р, й, у: Tatar (дуслар, китаплар); Kazakh writes -дар, -тар there.
_TT_PLURAL = re.compile(rf"[^{_V}рйуьъ\W](?:лар|лер|ләр)")


def russian_word(lower: str) -> bool:
    """Whether pymorphy3's dictionary knows the (lower-cased) word, е read as ё too (its ``word_is_known``);
    asked by language id and neighbour marks, and looked up once with the lemmatiser's analyses."""
    return bool(dictionary_entries(lower))


def token_language(word: str) -> str | None:
    """``kk`` or ``ru`` for a word with evidence either way, None for a word both languages could hold."""
    if _KK_LETTER.search(word):
        return "kk"
    lower = word.lower()
    if not _CYRILLIC.search(lower):
        return None
    if lower in KK_WORDS:
        return "kk"
    if lower in domain_forms():
        return "ru"
    if _RU_ONLY_LETTER.search(lower):
        return "ru"
    kk = kazakh()
    if len(lower) >= 2 and russian_word(lower):
        # бала, сол, тек; колы (қолы), кун (күн): a short Russian word that is also a Kazakh one, or one
        # typed with Russian letters, has no language of its own
        short = len(lower) <= 6 and lower not in SPACY_RU_STOP_WORDS  # как, так, он stay Russian
        return None if short and (lower in kk.stems or kk.restores_whole(lower)) else "ru"
    if lower.endswith(RU_INFLECTIONS):
        return None  # a Russian word the dictionary lacks (нейросетями, кибербезопасности): no Kazakh to look for
    if len(lower) >= 3 and kk.may_read(lower) and (kk.analyse(lower) or kk.restore(lower)):
        return "kk"
    if len(lower) >= 5 and lower.endswith(KK_ENDINGS):
        return "kk"
    return None


class _Forms(FormTable):
    """word → its own language (:func:`token_language`), computed once per form and looked up with map() at C
    speed for every post; a form with a neighbour mark (:func:`neighbour_mark`) is entered in ``_MARKED`` as it is
    first seen, so a post without one is told by one pass over its words in C."""

    def forget(self) -> None:
        super().forget()
        _MARKED.clear()


def _read_form(word: str) -> str | None:
    if word[:1].isalpha() and (mark := neighbour_mark(word)):
        _MARKED[word] = mark
    return token_language(word)


_MARKED: dict[str, tuple[str, int]] = {}
_FORMS = _Forms(_read_form)
TaughtForms = tuple[list[str], list[str | None], dict[str, tuple[str, int]]]  # forms, their languages, their marks


def fresh_forms() -> TaughtForms:
    """The forms whose language was found here since the last call, with their neighbour marks (see
    :mod:`qatysu.nlp.forms`)."""
    fresh = _FORMS.fresh()
    return list(fresh), list(fresh.values()), {w: _MARKED[w] for w in fresh if w in _MARKED}


def teach_forms(taught: TaughtForms) -> None:
    """Take the forms another process found the language of (:func:`fresh_forms`)."""
    forms, langs, marks = taught
    _MARKED.update(marks)
    _FORMS.teach(dict(zip(forms, langs)))


def own_languages(tokens: list[str]) -> list[str | None]:
    """Each token's own language (see :func:`token_language`; None for numbers and marks), the neighbour marks of
    its words recorded on the way: what :func:`language_of` takes."""
    return list(map(_FORMS.__getitem__, tokens))


def neighbour_mark(word: str) -> tuple[str, int] | None:
    """The neighbouring language a word argues for and how strongly: 2 for a letter only it has (``ў`` is
    Uzbek or Belarusian, decided by the text) or a vowel Kazakh never has after a first syllable (ө, ү, ә:
    өлкөнүн, бәйрәмгә) or doubled (шайлоо), a Kyrgyz -у for Kazakh -ы (жолу) or a Tatar -лар after a consonant
    (дуслары); 1 for a function word or a weaker sound pattern (Kyrgyz ш for Kazakh с: жашаган), in a word
    neither the Russian dictionary nor Kazakh morphology reads."""
    lower = word.lower()
    if _NEIGHBOUR_LETTER.search(lower):
        letter = min(_NEIGHBOUR_LETTER_SET.intersection(lower))
        return ("ў" if letter == "ў" else NEIGHBOUR_LETTERS[letter]), 2
    if lower in SPACY_RU_STOP_WORDS:
        return None  # для, через: a Russian function word is no evidence of another language
    if lower in _NEIGHBOUR_WORD:
        return _NEIGHBOUR_WORD[lower], 1
    if len(lower) < 3 or not _CYRILLIC.search(lower) or russian_word(lower):
        return None
    if lower.startswith(GREETINGS):
        return None  # the Arabic greeting Kazakh posts open with (әссәләму ғәләйкум) has Tatar-like vowels
    kk_only = KK_LETTERS.intersection(lower)
    named = word[:1].isupper()  # a name (Смаилов, Жапаров) is no evidence of Kyrgyz о
    mark = None
    if not kk_only & LACKS["ky"] and (_ROUNDED_LATER.search(lower) or _LONG_VOWEL.search(lower)):
        mark = "ky", 2
    elif not kk_only & LACKS["tt"] and _AE_LATER.search(lower):
        mark = "tt", 2
    elif "ғ" in kk_only and not kk_only & LACKS["ba"] and (_AE_LATER.search(lower) or _ROUNDED_LATER.search(lower)):
        mark = "ba", 2
    elif "ё" in lower and not kk_only & LACKS["uz"]:
        mark = "uz", 2  # ё in a word Russian does not know: Uzbek (тайёр, ёшлар)
    elif (not kk_only and (lower[0] == "й" or ("в" in lower and lower.endswith(_TURKIC_SUFFIXES)))
          and not _analysed(lower)):
        mark = "tt", 2  # й- where Kazakh has ж- (йорт, жұрт); в in a Turkic word (авыл-га; not Павлодар-да)
    elif not named and not kk_only & LACKS["ky"] and _kazakh_counterpart(lower, _KY_ROUNDED_TO_KK):
        mark = "ky", 2  # жол-у: Kazakh would write жолы
    elif not named and not kk_only & LACKS["tt"] and _TT_PLURAL.search(lower) and not _reads_as_kazakh(lower):
        mark = "tt", 2  # дус-лары: Kazakh has -лар only after vowels and р, у, й (достары)
    elif not kk_only & LACKS["ky"] and ((_KY_LATER_O.search(lower) and not named) or lower.endswith(_KY_ENDINGS)
                                        or _KY_MORPHS.search(lower)):
        mark = "ky", 1
    elif kk_only <= {"і"} and _BE_PATTERN.search(lower):
        mark = "be", 1
    elif "і" in lower and not kk_only - {"і"} and any(ch in lower for ch in "ыэ"):
        mark = "be", 1
    elif "і" in lower and not kk_only - {"і"} and any(ch in lower for ch in "иьцчщфвюя'’"):
        mark = "uk", 1
    elif kk_only & {"қ", "ғ"} and _UZ_I.search(lower):
        mark = "uz", 1  # и as a vowel beside қ or ғ: Uzbek (қизиқиш), where Kazakh writes ы or і
    elif not named and not kk_only & LACKS["ky"] and _kazakh_counterpart(lower, _KY_SH_TO_KK):
        mark = "ky", 1  # жаша-ган: Kazakh would write жаса-ған (but a Kazakh writer may write ешек for есек)
    elif "ч" in lower and not kk_only:
        mark = "ky", 1  # ч is no Kazakh letter: a Turkic neighbour's word (Kyrgyz the likeliest here)
    if mark is None or (mark[1] == 1 and _analysed(lower)):
        return None
    return mark


def _analysed(lower: str) -> bool:
    """Whether Kazakh morphology reads the word as written (asked only of words that may be read at all)."""
    kk = kazakh()
    return kk.may_read(lower) and bool(kk.analyse(lower))


def _reads_as_kazakh(lower: str) -> bool:
    """Whether Kazakh morphology reads the word as written or once respelt with Kazakh letters."""
    kk = kazakh()
    return kk.may_read(lower) and bool(kk.analyse(lower) or kk.restore(lower))


def _kazakh_counterpart(lower: str, changes: tuple[tuple[re.Pattern[str], str], ...]) -> bool:
    """Whether a word Kazakh morphology does not read becomes a Kazakh word through one of the sound changes
    that set a neighbour apart (Kyrgyz ш for Kazakh с: жаша-ган, жаса-ған; -у after о, у for Kazakh -ы:
    жол-у, жол-ы)."""
    variants = [change.sub(kazakh_form, lower) for change, kazakh_form in changes if change.search(lower)]
    return bool(variants) and not _reads_as_kazakh(lower) and any(map(_reads_as_kazakh, variants))


def _kyrgyz_keyboard(words: list[str], langs: list[str | None], found: list) -> list:
    """The marks of a text typed with Kyrgyz letters: one with a Kyrgyz mark that has ө, ү or ң but none of the
    letters Kyrgyz lacks (ә ғ қ ұ і һ), yet has words Kazakh writes with them (Казакстан for Қазақстан), is
    typed on a Kyrgyz keyboard, and each such word argues for Kyrgyz too (a Kazakh writer with ө at hand has
    қ at hand too; without another mark, «Өте жаксы кызмет» is informal Kazakh)."""
    if not any(mark and mark[0] == "ky" for mark in found):
        return found
    letters = set("".join(words).lower())
    if letters.isdisjoint("өүң") or not letters.isdisjoint(LACKS["ky"]):
        return found
    return [mark or (("ky", 1) if lang == "kk" and _respelt_with(word.lower(), LACKS["ky"]) else None)
            for word, lang, mark in zip(words, langs, found)]


def _respelt_with(lower: str, letters: frozenset[str]) -> bool:
    """Whether the word reads as Kazakh only once respelt, with one of ``letters``."""
    kk = kazakh()
    restored = kk.restore(lower) if kk.may_read(lower) and not kk.analyse(lower) else None
    return bool(restored) and not letters.isdisjoint(restored)


def neighbour_of(words: list[str], langs: list[str | None]) -> str | None:
    """The neighbouring language a text is in, or None. Its marks must weigh 2 or more, and more than the
    unmarked words that argue against it: each word with a letter the likeliest of those languages lacks,
    a third of each word Kazakh morphology reads without Kazakh letters (informal Kazakh shares a few
    patterns with Kyrgyz) and half of each word the Russian dictionary knows (a Russian post's new words
    look foreign). ``langs`` are the words' own languages, from :func:`own_languages`."""
    if _MARKED.keys().isdisjoint(words):  # most posts: nothing to weigh
        return None
    found = list(map(_MARKED.get, words))
    if "kk" in langs:
        found = _kyrgyz_keyboard(words, langs, found)
    marked = list(filter(None, found))
    weight = sum(mark[1] for mark in marked)
    # the Russian words alone outweigh the marks (a Russian post with a few new words): no need to weigh further
    if weight < 2 or weight <= (langs.count("ru") - len(marked)) / 2:
        return None
    marks: Counter[str] = Counter()
    kazakh_words = russian_words = 0
    for word, lang, mark in zip(words, langs, found):
        if mark:
            marks[mark[0]] += mark[1]
        elif lang == "ru":
            russian_words += 1
        elif lang == "kk" and KK_LETTERS.isdisjoint(word):
            kazakh_words += 1
    if "ў" in marks:
        uzbek = any(ch in w for w in words for ch in "ҳқғ")
        marks["uz" if uzbek else "be"] += marks.pop("ў")
    if "ba" in marks:  # Bashkir shares Tatar's ә-suffixes and Kyrgyz-like vowels; its own letters decide
        marks["ba"] += marks.pop("tt", 0) + marks.pop("ky", 0)
    lang = max(marks, key=lambda lang: (marks[lang], lang != "ky"))
    against = sum(1 for w in words if not LACKS[lang].isdisjoint(w.lower()))
    return lang if weight > against + kazakh_words / 3 + russian_words / 2 else None


@dataclass(frozen=True)
class LanguageGuess:
    lang: str  # ru, kk, mixed, other or und
    kk_share: float  # share of words in Kazakh clauses among words in clauses of either language
    evidence: int  # words with evidence
    neighbour: str | None = None  # ky, tt, ba, uz, uk or be when the text is in a neighbouring language


def language_of(tokens: list[str], langs: list[str | None]) -> LanguageGuess:
    """Post language from its tokens and their own languages from :func:`own_languages` (see :func:`detect`)."""
    neighbour = neighbour_of(tokens, langs)  # marks and numbers have no mark and no language
    if neighbour:
        return LanguageGuess("other", 0.0, sum(1 for t in tokens if t[:1].isalpha()), neighbour)
    if "kk" not in langs or "ru" not in langs:  # one language only: no clause needs weighing
        for lang in ("ru", "kk"):
            if lang in langs:
                return LanguageGuess(lang, float(lang == "kk"), len(langs) - langs.count(None))
        latin = sum(1 for t in tokens if _LATIN.match(t))
        return LanguageGuess("other" if latin >= 3 else "und", 0.0, 0)
    post_kk, post_ru = langs.count("kk"), langs.count("ru")
    strong, weak = {"kk": 0, "ru": 0}, {"kk": 0, "ru": 0}
    evidence = latin = 0
    kk = ru = words_in = 0
    has_kk_letter = False
    single = ""
    for token, lang in zip(tokens + ["\n"], langs + [None]):
        if token in CLAUSE_BREAKS:
            if kk or ru:
                # a tie goes to Kazakh letters, else to the language with more words in the whole post
                clause = "kk" if kk > ru or (kk == ru and (has_kk_letter or post_kk > post_ru)) else "ru"
                is_weak = words_in == 1 and KK_LETTERS.isdisjoint(single)
                (weak if is_weak else strong)[clause] += words_in
            evidence += kk + ru
            kk = ru = words_in = 0
            has_kk_letter = False
            continue
        if not token[0].isalpha():
            continue
        words_in += 1
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
    ``other`` for a neighbouring language or another script, ``und`` when there is nothing to tell by."""
    tokens = tokenize(text)
    return language_of(tokens, own_languages(tokens))


def run_languages(tokens: list[str], langs: list[str | None], default: str) -> list[str | None]:
    """Each token's language: its own where it has evidence; otherwise that of the run it sits in — the
    evidence of its clause (the majority, ties to Kazakh letters' side), else the nearest word with evidence
    (the following one on a tie), else ``default``. Numbers and marks keep None."""
    out: list[str | None] = list(langs)
    n = len(tokens)
    start = 0
    for end in range(n + 1):
        if end < n and tokens[end] not in CLAUSE_BREAKS:
            continue
        clause = langs[start:end]  # numbers and marks have no language and no vote
        kk, ru = clause.count("kk"), clause.count("ru")
        if kk or ru:
            fill = "kk" if kk >= ru else "ru"
            for i in range(start, end):
                if out[i] is None and tokens[i][:1].isalpha():
                    out[i] = fill
        start = end + 1
    known = [i for i in range(n) if out[i] is not None]
    k = 0  # known[k] is the first word with a language after i (the list is walked once, as i grows)
    for i in range(n):
        if out[i] is None and tokens[i][:1].isalpha():
            if not known:
                out[i] = default
                continue
            while k < len(known) and known[k] < i:
                k += 1
            after = known[k] if k < len(known) else None
            before = known[k - 1] if k else None
            out[i] = out[after if before is None or (after is not None and after - i <= i - before) else before]
    return out


def runs(words: list[str], default: str) -> list[tuple[str, int, int]]:
    """Runs of consecutive words in one language: (lang, first, last+1); words without evidence join the run
    they sit in, or take ``default``."""
    langs = run_languages(words, own_languages(words), default)
    out: list[tuple[str, int, int]] = []
    start = 0
    for i in range(1, len(words) + 1):
        if i == len(words) or langs[i] != langs[start]:
            out.append((langs[start] or default, start, i))
            start = i
    return out
