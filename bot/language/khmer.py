"""Khmer normalisation: one spelling for the many ways a word can be typed, read as clusters."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

KHMER = "\u1780-\u17ff\u19e0-\u19ff"
HAS_KHMER = re.compile(f"[{KHMER}]")
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
DIGITS = {0x17E0 + d: str(d) for d in range(10)}  # ១៥ and 15 must match the same terms
_KM_TABLE: dict[int, str | None] = {
    **dict.fromkeys(map(ord, INVISIBLE + "\u17b4\u17b5"), None),  # 17B4/5: invisible vowels
    **DIGITS,
    0x17B3: "\u17aa",  # ឳ and ឪ both spell ឪពុក (father)
    0x17B2: "\u17b1",  # ឲ is a variant of ឱ (ឲ្យ / ឱ្យ)
    0x17CA: "\u17c9",  # the two register shifters ៊ ៉ are often swapped
    0x17A3: "\u17a2",  # deprecated independent vowels
    0x17A4: "\u17a2\u17b6",
}
_VOWEL = "\u17b6-\u17c5"
_SIGN = "\u17c6-\u17c8\u17cb\u17cd-\u17d1\u17d3\u17dd"
_KM_FIXES: tuple[tuple[re.Pattern[str], str], ...] = (
    # The same visible cluster can be typed in several orders; keep one (after SIL khnormal).
    (re.compile("\u17d2\u178a"), "\u17d2\u178f"),  # subscript DA and TA look the same
    (re.compile(f"([{_VOWEL}{_SIGN}\u17c9]+)(\u17d2[\u1780-\u17b3])"), r"\2\1"),  # subscript
    (re.compile("(\u17d2\u179a)(\u17d2[\u1780-\u1799\u179b-\u17b3])"), r"\2\1"),  # coeng RO last
    (re.compile(f"([{_VOWEL}]+)(\u17c9)"), r"\2\1"),  # shifter before the vowel
    (re.compile(f"([{_SIGN}]+)([{_VOWEL}]+)"), r"\2\1"),  # ុំ not ំុ
    (re.compile("\u17c1\u17b8"), "\u17be"),  # េ + ី typed for ើ
    (re.compile("\u17c1\u17b6"), "\u17c4"),  # េ + ា typed for ោ
    (re.compile("\u17bb(?=[\u17b7-\u17ba])"), "\u17c9"),  # ុ under an upper vowel = shifter
    (re.compile(f"([{_VOWEL}{_SIGN}\u17c9])\\1+"), r"\1"),  # doubled marks
)


# str.translate looks up every character in a dict; a regex finds the rare ones much faster.
_KM_ODD = re.compile("[" + "".join(map(chr, _KM_TABLE)) + "]")
# A cluster: a consonant or independent vowel with its subscripts, vowel signs and marks, in any
# order (fixed afterwards); roughly a syllable. Also numbers, Latin words and sentence ends.
_KM_TOKEN = re.compile(
    "[\u1780-\u17b3](?:\u17d2[\u1780-\u17b3]|[\u17b4-\u17d1\u17d3\u17dd])*|[0-9]+|[a-z]+|[។៕!?.;\n]"
)
# People add spaces at random inside Khmer, which is written without spaces between words.
_SPACES = re.compile(r"\s+")


def normalise_khmer(text: str) -> str:
    """Return text in one spelling: no invisible characters or spaces inside Khmer, one order."""
    text = _KM_TOKEN.sub(_fix_match, _basic_khmer(text))
    return _SPACES.sub(_drop_space_in_khmer, text)


def khmer_tokens(text: str) -> list[str]:
    """Read text as normalised clusters; the same result as normalise_khmer, but faster."""
    return list(map(_fix_cluster, _KM_TOKEN.findall(_basic_khmer(text))))


def _basic_khmer(text: str) -> str:
    """Drop invisible characters, map Khmer digits and variant letters, lowercase."""
    return _KM_ODD.sub(_km_map, unicodedata.normalize("NFC", text)).lower()


def _km_map(match: re.Match[str]) -> str:
    return _KM_TABLE[ord(match.group())] or ""


def _fix_match(match: re.Match[str]) -> str:
    return _fix_cluster(match.group())


@lru_cache(maxsize=16384)
def _fix_cluster(cluster: str) -> str:
    """Put one cluster in one order: each fix stays inside a cluster, so each is fixed once."""
    for pattern, replacement in _KM_FIXES:
        cluster = pattern.sub(replacement, cluster)
    return cluster


def _drop_space_in_khmer(match: re.Match[str]) -> str:
    """Drop a run of spaces between Khmer letters (or between Khmer and a number)."""
    text, start, end = match.string, match.start(), match.end()
    before, after = text[start - 1 : start], text[end : end + 1]
    khmer = HAS_KHMER.match(before), HAS_KHMER.match(after)
    glued = (khmer[0] and (khmer[1] or after.isdigit())) or (khmer[1] and before.isdigit())
    return "" if glued else match.group()
