"""Text normalisation: one form for matching, with links, mentions, hashtags and emoji set aside.

Kazakh text in the wild is often typed on Russian or Latin keyboards: Latin ``i`` for ``і``, ``c`` for
``с``, ``o`` for ``о`` inside Cyrillic words. Such look-alikes are repaired only inside words that are
otherwise Cyrillic, so Latin words and brand names stay as written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

# Latin (and a few other) letters that look like Cyrillic ones.
_LOOKALIKES = str.maketrans({
    "a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "i": "і", "k": "к", "h": "һ",
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О", "P": "Р", "T": "Т",
    "X": "Х", "Y": "У", "I": "І", "ý": "ү", "Ý": "Ү", "ä": "ә", "Ä": "Ә", "ö": "ө", "Ö": "Ө", "ü": "ү", "Ü": "Ү",
    "ğ": "ғ", "Ğ": "Ғ", "ñ": "ң", "Ñ": "Ң", "ı": "ы", "ë": "ё", "Ë": "Ё",
})
_TWINS = frozenset(chr(c) for c in _LOOKALIKES)
_CYR = "А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі"
_LAT = "A-Za-zýÝäÄöÖüÜğĞñÑıëË"  # Latin letters, those with a Cyrillic twin among them
_MIXED_WORD = re.compile(rf"\b(?=\w*[{_CYR}])(?=\w*[{_LAT}])\w+\b")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'«»()]+[^\s<>\"'«».,;:!?()]")
_MENTION = re.compile(r"(?<![\w@])@([A-Za-z][A-Za-z0-9_]{3,31})")
_HASHTAG = re.compile(r"(?<![\w#])#(\w+)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:https?://|tg://)[^)]+\)")
_MARKUP_STARTS = "*_~`<&"  # the characters markup starts with: the pattern looks further only at them
_MARKUP = re.compile(rf"(?=[{re.escape(_MARKUP_STARTS)}])(?:\*\*|__|~~|`{{1,3}}|</?[a-zA-Z][^>]{{0,200}}>|&nbsp;)")
# Only runs that change: a lone space is left alone (a pattern matching every space costs a pass per space).
_SPACES = re.compile(r"[\t\u00a0\u200b][ \t\u00a0\u200b]*| [ \t\u00a0\u200b]+")
# Line breaks with the spaces around them and blank lines between them; spelled so that each match
# starts at a line break or at the space or \r just before one (a leading optional space would make
# the pattern try every position of the text).
_BLANK_LINES = re.compile(r"(?:\n| \r?\n|\r\n)(?: ?\r?\n)* ?")


_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF\u2190-\u21FF\u3030\u303D"
                    "\u3297\u3299\u00A9\u00AE\u203C\u2049\u2122\u2139]")
_EMOJI_GLUE = re.compile("[\uFE0F\u200D\U0001F3FB-\U0001F3FF]")


@dataclass
class Normalized:
    content: str  # cleaned text (NFC, markup stripped, look-alikes repaired), spaced as written: tokens come from it
    urls: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    emoji: list[str] = field(default_factory=list)

    @cached_property
    def text(self) -> str:
        """The cleaned text as a reader sees it: runs of spaces and blank lines closed up. Built on demand, since
        tokens do not depend on spacing (processing never needs it)."""
        return _BLANK_LINES.sub("\n", _SPACES.sub(" ", self.content)).strip()


_LATIN = re.compile(f"[{_LAT}]")


def _repair_word(match: re.Match[str]) -> str:
    word = match.group(0)
    latin = _LATIN.findall(word)
    # Only a word whose every Latin letter has a Cyrillic twin is a typing accident («Қазақстaн»);
    # «Kazakhstanда» is a Latin word with a Kazakh ending and stays as written.
    if all(ch in _TWINS for ch in latin):
        return word.translate(_LOOKALIKES)
    return word


# A Latin letter beside a Cyrillic one: the pattern starts with the Latin class, so the search skips Cyrillic
# text at C speed and looks around only at Latin letters.
_SCRIPTS_MEET = re.compile(f"[{_LAT}](?:(?<=[{_CYR}][{_LAT}])|(?=[{_CYR}]))")


def repair_lookalikes(text: str) -> str:
    """Replace Latin look-alike letters inside words that are otherwise Cyrillic."""
    if not _SCRIPTS_MEET.search(text):  # no word mixes the scripts: the common case, checked cheaply
        return text
    return _MIXED_WORD.sub(_repair_word, text)


def _link_text(match: re.Match[str]) -> str:
    return match.group(1)  # a function, not the template r"\1", which re expands in Python for every match


def normalize(text: str | None) -> Normalized:
    text = unicodedata.normalize("NFC", text or "")
    # each pattern runs only when its marker character is present: most posts need few of them
    if "](" in text:
        text = _MD_LINK.sub(_link_text, text)
    urls = []
    if "http" in text or "www." in text:
        urls = _URL.findall(text)
        text = _URL.sub(" ", text)
    if any(ch in text for ch in _MARKUP_STARTS):
        text = _MARKUP.sub("", text)
    text = repair_lookalikes(text)
    mentions = _MENTION.findall(text) if "@" in text else []
    hashtags = [repair_lookalikes(h) for h in _HASHTAG.findall(text)] if "#" in text else []
    emoji = []
    if _EMOJI.search(text):  # one pass over a text without emoji (most posts), rather than two substitutions
        bare = _EMOJI_GLUE.sub("", text)
        emoji = _EMOJI.findall(bare)
        if emoji:
            text = _EMOJI.sub(" ", bare)
    if "\u200b" in text:  # a zero-width space parts words like a space; unlike one, it is no whitespace to \s
        text = text.replace("\u200b", " ")
    return Normalized(text, urls, mentions, hashtags, emoji)


def match_form(text: str) -> str:
    """Lower case with ё→е: «Ёлка» and «елка» match."""
    return text.lower().replace("ё", "е")
