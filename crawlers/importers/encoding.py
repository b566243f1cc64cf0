"""Which text encoding a file to import is in, and a UTF-8 copy of it when it is not UTF-8.

Researchers in Kazakhstan and Russia get files from Excel in cp1251, from Windows tools in UTF-16, and from
everything else in UTF-8, with or without a byte-order mark. Those are read; anything else is refused with a
message naming the file, rather than imported as mojibake. A UTF-8 file with a few stray bytes stays UTF-8:
the rows holding them are reported as bad rows.
"""

from __future__ import annotations

import codecs
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from charset_normalizer import from_bytes

from qatysu.warehouse import WarehouseError

SUPPORTED = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1251")
_SAMPLE = 1 << 18  # bytes looked at to guess an encoding
_CHUNK = 1 << 20
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Among the guesses for a file that is not UTF-8, charset-normalizer's names of the ones Qatysu reads.
_GUESSES = {"cp1251": "cp1251", "windows_1251": "cp1251", "utf_16": "utf-16", "utf_16_le": "utf-16-le",
            "utf_16_be": "utf-16-be"}


class EncodingRefused(WarehouseError):
    """The file is in an encoding Qatysu does not read."""


def normalise(name: str) -> str:
    """A user's ``--encoding`` as one of :data:`SUPPORTED`, or :class:`EncodingRefused`."""
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        canonical = name
    mapped = {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "utf-16": "utf-16", "utf-16-le": "utf-16-le",
              "utf-16-be": "utf-16-be", "cp1251": "cp1251"}.get(canonical)
    if mapped is None:
        raise EncodingRefused(f"--encoding {name}: Qatysu reads {', '.join(SUPPORTED)}; save the file in one "
                              "of them (UTF-8 is safest)")
    return mapped


def _mostly_utf8(sample: bytes) -> bool:
    """True when a sample is UTF-8 but for a few stray bytes (a real cp1251 text fails on every letter)."""
    text = sample.decode("utf-8", errors="replace")
    stray = text.count("\ufffd")
    wide = sum(1 for ch in text if ch > "\x7f") - stray
    return stray == 0 or wide >= 20 * stray


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 without a byte-order mark, by its zero bytes: every ASCII character (digits, commas, spaces, line
    breaks: much of any CSV) has one, on the odd bytes in little-endian order, on the even ones in big-endian.
    Text in UTF-8 or cp1251 has none; Cyrillic UTF-16 is otherwise valid UTF-8, so this must come first."""
    pairs = len(sample) // 2
    if pairs < 8:
        return None
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if odd > pairs // 5 and even < odd // 10:
        return "utf-16-le"
    if even > pairs // 5 and odd < even // 10:
        return "utf-16-be"
    return None


def detect(path: Path) -> str:
    """The encoding of ``path``: a byte-order mark, else UTF-16's zero bytes, else UTF-8 when the first
    quarter megabyte is UTF-8 but for a few stray bytes, else charset-normalizer's best guess when it is cp1251
    or UTF-16; anything else is refused. (A stray byte further on makes its row a bad row, found when the
    file is read.)"""
    with path.open("rb") as fh:
        sample = fh.read(_SAMPLE)
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    if utf16 := _utf16_without_bom(sample):
        return utf16
    if _mostly_utf8(sample[: sample.rfind(b"\n") + 1] if len(sample) == _SAMPLE else sample):
        return "utf-8"
    best = from_bytes(sample[: sample.rfind(b"\n") + 1] or sample).best()
    guess = _GUESSES.get(best.encoding) if best else None
    if guess is None:
        seen = f"looks like {best.encoding}" if best else "is not text in any encoding Qatysu knows"
        raise EncodingRefused(f"{path}: the file {seen}; Qatysu reads UTF-8, UTF-16 and cp1251. Save it as "
                              "UTF-8, or name its encoding with --encoding")
    return guess


@contextmanager
def utf8_copy(path: Path, encoding: str) -> Iterator[Path]:
    """``path`` itself when it is UTF-8, else a temporary UTF-8 copy (removed afterwards) for DuckDB to read.

    Bytes that are not valid in ``encoding`` are kept as escapes, so the rows holding them are found and
    reported instead of failing the whole file.
    """
    if encoding == "utf-8":
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="qatysu-import-") as tmp:
        copy = Path(tmp) / path.name
        with path.open("r", encoding=encoding, errors="surrogateescape", newline="") as src, \
                copy.open("w", encoding="utf-8", errors="surrogateescape", newline="") as dst:
            shutil.copyfileobj(src, dst, _CHUNK)
        yield copy
