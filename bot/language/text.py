"""Which script a message is in, and its plain clean-up before any reading."""

from __future__ import annotations

import re
import unicodedata

from bot.language.khmer import DIGITS, HAS_KHMER, INVISIBLE

_LATIN_WORD = re.compile(r"[a-z]+")
_ODD = re.compile("[" + INVISIBLE + "".join(map(chr, DIGITS)) + "]")


def clean(text: str) -> str:
    """Return text in NFC, without invisible characters, with Khmer digits as Arabic ones."""
    return _ODD.sub(_map_odd, unicodedata.normalize("NFC", text))


def _map_odd(match: re.Match[str]) -> str:
    return DIGITS.get(ord(match.group()), "")


def has_khmer(text: str) -> bool:
    """Whether the text has any Khmer letter."""
    return HAS_KHMER.search(text) is not None


def latin_words(text: str) -> list[str]:
    """Return the lowercase Latin words of a text (apostrophes dropped: can't is cant)."""
    return _LATIN_WORD.findall(clean(text).casefold().replace("'", "").replace("’", ""))
