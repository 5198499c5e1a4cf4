"""Bytes to text: encodings detected, mojibake repaired, binary refused.

UTF-8 (with or without a BOM) and UTF-16 with a BOM are read as such. Text that
is not UTF-8 and holds no UTF-8 sequences at all is an old single-byte file:
cp1252 (the Windows superset of latin-1), or latin-1 where cp1252 has holes.
Text that is mostly UTF-8 but has broken sequences is refused with the line, as
guessing would garble it. Mojibake (UTF-8 read as cp1252, "Ã©" for "é") is
repaired with ftfy, keeping curly quotes, dashes and ellipses as they are.
"""

from __future__ import annotations

import codecs
import re

import ftfy
from django.utils.translation import gettext as _
from ftfy.badness import is_bad

from fanarchive.formats.errors import ImportFailed

_FTFY = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    fix_character_width=False,
    fix_latin_ligatures=False,
    normalization="NFC",
    explain=False,
)
# Any multi-byte UTF-8 sequence: its presence says the file meant to be UTF-8.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# UTF-8 read as cp1252 or latin-1 always leaves a lead character (Â, Ã, â, Ð ...) followed
# by what a continuation byte turns into. Only text holding such a pair is given to
# ftfy, whose full check is slow on long texts.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00c5\u00ce-\u00d1\u00e2\u00e3\u00ef\u00f0]"
    "[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _decode(data: bytes, name: str) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ImportFailed(name, _("is marked as UTF-16 but is not valid UTF-16.")) from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if b"\x00" in data[:4096]:
            raise ImportFailed(name, _("is not a text file (it looks like binary data).")) from None
        if _UTF8_MULTIBYTE.search(data):
            raise ImportFailed(
                name,
                _(
                    "is not valid UTF-8 (a broken character at byte %(byte)s). "
                    "Save it again as UTF-8 and retry."
                )
                % {"byte": f"{error.start:,}"},
                line=_line_of(data, error.start),
            ) from None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def decode_text(data: bytes, name: str, *, declared: str | None = None) -> str:
    """The text of a file, or ImportFailed naming the file (and line) when it is not text."""
    if declared and declared.lower().replace("_", "-") not in {"utf-8", "utf8"}:
        try:
            text = data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            text = _decode(data, name)
    else:
        text = _decode(data, name)
    sample = text[:20_000]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise ImportFailed(name, _("is not a text file (it looks like binary data)."))
    text = _CONTROL.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return repair_text(text)


def repair_text(text: str) -> str:
    """Mojibake repaired with ftfy, only when the fast check and ftfy's badness check agree."""
    if _MOJIBAKE_HINT.search(text) and is_bad(text):
        text = ftfy.fix_text(text, _FTFY)
    return text
