"""Stripping a typed question of anything personal before it may be counted.

Only words Sokh already knows (from its content, the romanised table and common English)
survive; every other word, number, link, handle or address becomes one '…'. Names, phone
numbers, ids and places people mention are therefore never kept, whatever their form.
"""

from __future__ import annotations

import re

from bot.language.khmer import HAS_KHMER
from bot.language.segment import khmer_words
from bot.language.text import clean

GAP = "…"
MAX_LENGTH = 200
MIN_KNOWN = 2  # fewer known words than this: nothing worth counting is left
_RUN = re.compile(r"\S+")
_LATIN = re.compile(r"[a-z]+(?:['’][a-z]+)?")


def scrub(text: str, vocabulary: frozenset[str]) -> str | None:
    """Return the question with unknown words as '…', or None when too little is left."""
    words: list[str] = []
    for run in _RUN.findall(clean(text).casefold()):
        words.extend(_scrub_run(run, vocabulary))
    kept = [w for w in words if w != GAP]
    if len(kept) < MIN_KNOWN:
        return None
    joined = " ".join(_collapse(words))
    return joined[:MAX_LENGTH]


def _scrub_run(run: str, vocabulary: frozenset[str]) -> list[str]:
    """One space-separated run: Khmer words or one Latin word, each kept only if known."""
    if HAS_KHMER.search(run):
        return [w if w in vocabulary else GAP for w in khmer_words(run)] or [GAP]
    word = _LATIN.fullmatch(run.strip(".,!?;:()\"'“”"))
    return [word.group() if word and word.group() in vocabulary else GAP]


def _collapse(words: list[str]) -> list[str]:
    """Runs of '…' become one, so the number of unknown words is not kept either."""
    return [w for i, w in enumerate(words) if w != GAP or i == 0 or words[i - 1] != GAP]
