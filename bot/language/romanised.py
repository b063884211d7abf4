"""Romanised Khmer ("knhom chong tov thai"): read back into Khmer script through an editable table.

content/romanised.yaml lists, for each Khmer word, the Latin spellings people type in chat.
A message's Latin words are looked up there (two-word spellings first), then, for longer
words not known as English, matched fuzzily (rapidfuzz) to the nearest spelling, so typos
such as "slabb" still read as ស្លាប់. The result is Khmer text that triage and search read
exactly as they read Khmer script: editors write a term once, in Khmer.
Each word's `anyascii` romanisation is added as a spelling too, unless an editor gave it to
another word. Some spellings stand for several words ("kat" is គាត់ "he" and កាត់ "cut"; "tuk"
is ទូក "boat" and ទុក "keep"): the table's `homographs` lists the other words, and a reading
then carries other texts with those words in their place, for triage to check as well.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from anyascii import anyascii
from rapidfuzz import fuzz, process

from bot.language.khmer import HAS_KHMER
from bot.language.text import clean
from bot.language.yamlfile import load_yaml

_LATIN = re.compile(r"[a-z]+")
_TOKEN = re.compile(r"[a-z]+|[0-9]+|[.!?;\n]+|[\u1780-\u17ff]+")
FUZZY_MIN_LENGTH = 4  # shorter words are too often another word with one letter changed
FUZZY_CUTOFF = 84.0  # rapidfuzz ratio: "slabb" -> "slab" is 89, "slap" -> "slab" is 75
# Common English words are never read as Khmer by the fuzzy step (exact table entries still
# apply: "tov" is only Khmer). Callers add their own vocabulary (content, risk terms).
# fmt: off
COMMON_ENGLISH = frozenset((
    "about", "after", "again", "also", "always", "another", "anyone", "anything", "baby",
    "because", "been", "before", "being", "child", "children", "come", "could", "daughter",
    "does", "doing", "dont", "every", "family", "father", "from", "give", "going", "good",
    "have", "help", "here", "home", "house", "into", "just", "know", "like", "little", "long",
    "make", "many", "money", "mother", "much", "need", "never", "night", "only", "other",
    "over", "people", "please", "really", "said", "school", "should", "some", "something",
    "still", "take", "tell", "than", "that", "their", "them", "then", "there", "they", "thing",
    "think", "this", "those", "time", "today", "told", "very", "want", "what", "when", "where",
    "which", "while", "will", "with", "work", "would", "year", "years", "your",
))
# fmt: on


# People spell the same Khmer sound many ways (j/ch, k/kh, o/ou/u, e/ae/ea...). A word's
# "sound key" folds those together, so "chomnuoy" finds a word listed only as "jomnuoy".
# Applied in order; a key shared by two Khmer words is ambiguous and not used.
_SOUND = (
    (re.compile(r"(.)\1+"), r"\1"),
    (re.compile("chh|jh|ch|j"), "c"),
    (re.compile("kh|gh|g"), "k"),
    (re.compile("ph|bp|b"), "p"),
    (re.compile("th|dt|d"), "t"),
    (re.compile("ny|gn|nh"), "n"),
    (re.compile("w"), "v"),
    (re.compile("[aeiouy]+"), "a"),
    (re.compile("(?<=.)[hr]$"), ""),
)


def sound_key(word: str) -> str:
    """Fold spelling variants of one romanised Khmer word into one key."""
    for pattern, replacement in _SOUND:
        word = pattern.sub(replacement, word)
    return word


class RomanisedError(ValueError):
    """The romanisation table is malformed; the message names file and entry."""


@dataclass(frozen=True)
class Reading:
    """A message read as Khmer: the text, and how many Latin words were recognised."""

    khmer: str
    recognised: int
    latin: int
    # The same text with homographs read as their other words: the first alternative of each
    # in others[0], the second in others[1]...; empty when the message has none.
    others: tuple[str, ...] = field(default=())


class Romaniser:
    """Reads romanised Khmer as Khmer script, from a table loaded once."""

    def __init__(
        self,
        table: dict[str, str],
        english: frozenset[str] = frozenset(),
        homographs: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self._table = table
        self._homographs = dict(homographs or {})
        # Words that begin a listed spelling: a message with none of them is not romanised
        # Khmer, and read() is skipped (most English messages; it saves a third of triage).
        self._first_words = frozenset(spelling.split()[0] for spelling in table)
        self._keys = tuple(k for k in table if " " not in k and len(k) >= FUZZY_MIN_LENGTH)
        self._sounds = _unambiguous_sounds(table)
        self._english = COMMON_ENGLISH | english
        self._lookup = lru_cache(maxsize=8192)(self._find)

    @classmethod
    def from_file(cls, path: Path, english: frozenset[str] = frozenset()) -> Romaniser:
        """Load and validate content/romanised.yaml; raise RomanisedError naming the entry."""
        try:
            data = load_yaml(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise RomanisedError(f"{path}: cannot read: {exc}") from exc
        table = parse_table(data, str(path))
        return cls(table, english, parse_homographs(data, str(path), table))

    def may_read(self, text: str) -> bool:
        """Whether any Latin word of text begins a listed spelling: worth calling read()."""
        words = _LATIN.findall(text.casefold().replace("'", "").replace("’", ""))
        return not self._first_words.isdisjoint(words)

    def read(self, text: str) -> Reading:
        """Return text with every recognised Latin word replaced by its Khmer word."""
        tokens = _TOKEN.findall(clean(text).casefold().replace("'", "").replace("’", ""))
        out: list[str] = []
        homographs: list[tuple[int, tuple[str, ...]]] = []  # (place in out, other words)
        recognised = latin = i = 0
        while i < len(tokens):
            token = tokens[i]
            pair = f"{token} {tokens[i + 1]}" if i + 1 < len(tokens) else ""
            if pair in self._table:
                out.append(self._table[pair])
                recognised, latin, i = recognised + 1, latin + 2, i + 2
                continue
            khmer = self._lookup(token) if _LATIN.fullmatch(token) else None
            latin += bool(_LATIN.fullmatch(token))
            recognised += khmer is not None
            if token in self._homographs:
                homographs.append((len(out), self._homographs[token]))
            out.append(khmer or token)
            i += 1
        return Reading(" ".join(out), recognised, latin, _others(out, homographs))

    def spellings(self) -> tuple[str, ...]:
        """Every Latin spelling the table knows."""
        return tuple(self._table)

    def exact(self, word: str) -> str | None:
        """Return the Khmer word an editor listed this spelling for, or None."""
        return self._table.get(word)

    def _find(self, word: str) -> str | None:
        """Return the Khmer word a Latin word spells, exactly or with a typo, or None."""
        if word in self._table:
            return self._table[word]
        if len(word) < 3 or word in self._english:
            return None
        if (khmer := self._sounds.get(sound_key(word))) is not None:
            return khmer
        if len(word) < FUZZY_MIN_LENGTH:
            return None
        best = process.extractOne(word, self._keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        return self._table[best[0]] if best else None


def _others(out: list[str], homographs: list[tuple[int, tuple[str, ...]]]) -> tuple[str, ...]:
    """Return the texts with each homograph's first, second... other word in its place."""
    texts = []
    for k in range(max((len(alts) for _, alts in homographs), default=0)):
        words = list(out)
        for place, alts in homographs:
            words[place] = alts[min(k, len(alts) - 1)]
        texts.append(" ".join(words))
    return tuple(texts)


def _unambiguous_sounds(table: dict[str, str]) -> dict[str, str]:
    """Sound keys of one-word spellings that lead to a single Khmer word."""
    found: dict[str, set[str]] = {}
    for spelling, khmer in table.items():
        if " " not in spelling and len(spelling) >= 3:
            found.setdefault(sound_key(spelling), set()).add(khmer)
    return {key: next(iter(words)) for key, words in found.items() if len(words) == 1}


def is_romanised(reading: Reading) -> bool:
    """Whether a Latin-script message reads as Khmer: most of its words are known spellings."""
    return reading.latin > 0 and reading.recognised * 2 >= reading.latin


def parse_table(data: object, source: str) -> dict[str, str]:
    """Validate the table and return Latin spelling -> Khmer word."""
    if not isinstance(data, dict) or data.get("review") not in ("draft", "reviewed"):
        raise RomanisedError(f"{source}: needs review: draft|reviewed and a words: mapping")
    words = data.get("words")
    if not isinstance(words, dict) or not words:
        raise RomanisedError(f"{source}: words must be a non-empty mapping")
    table: dict[str, str] = {}
    for khmer, spellings in words.items():
        for spelling in _spellings(khmer, spellings, source):
            if table.setdefault(spelling, khmer) != khmer:
                raise RomanisedError(
                    f"{source}: '{spelling}' is given for both {table[spelling]} and {khmer}"
                )
    for khmer in words:  # anyascii's spelling, where no editor used it for another word
        table.setdefault(anyascii(khmer).lower(), khmer)
    return table


def parse_homographs(
    data: object, source: str, table: Mapping[str, str]
) -> dict[str, tuple[str, ...]]:
    """Validate `homographs`: a listed spelling -> the other Khmer words it may stand for."""
    raw = data.get("homographs") if isinstance(data, dict) else None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise RomanisedError(f"{source}: homographs must be a mapping")
    found: dict[str, tuple[str, ...]] = {}
    for spelling, words in raw.items():
        where = f"{source}: homographs '{spelling}'"
        if spelling not in table or " " in str(spelling):
            raise RomanisedError(f"{where}: must be a one-word spelling listed under words")
        if not isinstance(words, list) or not words or not all(
            isinstance(w, str) and HAS_KHMER.search(w) and not _LATIN.search(w) for w in words
        ):
            raise RomanisedError(f"{where}: needs a list of Khmer words")
        if table[spelling] in words:
            raise RomanisedError(f"{where}: {table[spelling]} is already its word under words")
        found[spelling] = tuple(words)
    return found


def _spellings(khmer: object, spellings: object, source: str) -> list[str]:
    """Check one entry: a Khmer word and a list of one- or two-word Latin spellings."""
    where = f"{source}: words '{khmer}'"
    if not isinstance(khmer, str) or not HAS_KHMER.search(khmer) or _LATIN.search(khmer):
        raise RomanisedError(f"{where}: the key must be Khmer script")
    if not isinstance(spellings, list) or not spellings:
        raise RomanisedError(f"{where}: needs a list of Latin spellings")
    for spelling in spellings:
        parts = spelling.split() if isinstance(spelling, str) else []
        if not 1 <= len(parts) <= 2 or not all(_LATIN.fullmatch(p) for p in parts):
            raise RomanisedError(f"{where}: {spelling!r} must be one or two lowercase Latin words")
    return [" ".join(str(s).split()) for s in spellings]
