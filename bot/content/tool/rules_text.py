"""Rules for every text: both scripts, Unicode hygiene, Khmer order, plain text, links."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from bot.content.model import KHMER, Text
from bot.content.tool.source import Context, Problem

__all__ = ["TEXT_RULES"]

# Telegram shows these as-is (or they break Khmer word search and segmentation).
INVISIBLE = {"\u200b": "zero-width space", "\ufeff": "byte-order mark", "\u00ad": "soft hyphen",
             "\u2066": "bidi isolate", "\u2067": "bidi isolate", "\u2068": "bidi isolate",
             "\u2069": "bidi isolate"}
KHMER_BASE = re.compile(r"[\u1780-\u17B3]")
KHMER_MARK = re.compile(r"[\u17B4-\u17D1\u17D3\u17DD]")
VOWEL = "[\u17b6-\u17c5]"
MISORDERED = re.compile(f"{VOWEL}(\u17d2|[\u17c9\u17ca])")
ORPHAN_COENG = re.compile(r"\u17d2(?![\u1780-\u17A2])")
TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?>")
LINK = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s)>\]]*", re.IGNORECASE)
KHMER_PHONE = re.compile(r"[\u17E0-\u17E9][\u17E0-\u17E9 -]{4,}[\u17E0-\u17E9]")


def _khmer_script(ctx: Context) -> Iterator[Problem]:
    for source, loc, text in ctx.nodes(Text):
        if not KHMER.search(text.km):
            yield source.problem((*loc, "km"), "km text contains no Khmer script")
        elif text.km.strip() == text.en.strip():
            yield source.problem((*loc, "km"), "km text is a copy of the en text")


def _unicode_hygiene(ctx: Context) -> Iterator[Problem]:
    for source, loc, text in ctx.nodes(Text):
        for language, value in (("en", text.en), ("km", text.km)):
            if unicodedata.normalize("NFC", value) != value:
                yield source.problem((*loc, language), f"{language} text is not NFC-normalised")
            for char, name in INVISIBLE.items():
                if char in value:
                    yield source.problem((*loc, language), f"{language} text contains a {name} "
                                         f"(U+{ord(char):04X})")
            if any(unicodedata.category(c) == "Cc" and c != "\n" for c in value):
                yield source.problem((*loc, language), f"{language} text has a control character")


def khmer_order_error(value: str) -> str | None:
    """Why this Khmer text is not in canonical character order, or None when it is."""
    for index, char in enumerate(value):
        if KHMER_MARK.match(char) and not _has_base(value, index):
            return f"Khmer sign U+{ord(char):04X} has no consonant before it (position {index})"
    if (found := MISORDERED.search(value)) is not None:
        return (f"a vowel comes before a subscript or register sign at position {found.start()} "
                "(type the consonant's subscript and sign first, then the vowel)")
    if (found := ORPHAN_COENG.search(value)) is not None:
        return f"a subscript sign (coeng) is not followed by a consonant at {found.start()}"
    return None


def _has_base(value: str, index: int) -> bool:
    back = index - 1
    while back >= 0 and (KHMER_MARK.match(value[back]) or value[back] == "\u17d2"
                         or (back > 0 and value[back - 1] == "\u17d2")):
        back -= 1
    return back >= 0 and bool(KHMER_BASE.match(value[back]))


def _khmer_order(ctx: Context) -> Iterator[Problem]:
    for source, loc, text in ctx.nodes(Text):
        if (why := khmer_order_error(text.km)) is not None:
            yield source.problem((*loc, "km"), why)


def _plain_text(ctx: Context) -> Iterator[Problem]:
    """The bot escapes content, so markup would be shown to people as-is."""
    for source, loc, text in ctx.nodes(Text):
        for language, value in (("en", text.en), ("km", text.km)):
            if (tag := TAG.search(value)) is not None:
                yield source.problem((*loc, language), f"{language} text contains markup "
                                     f"{tag.group(0)!r}: content is plain text")


def _links(ctx: Context) -> Iterator[Problem]:
    for source, loc, text in ctx.nodes(Text):
        for language, value in (("en", text.en), ("km", text.km)):
            for link in LINK.findall(value):
                if not re.fullmatch(r"https://[a-z0-9.-]+\.[a-z]{2,}(/\S*)?", link, re.I):
                    yield source.problem((*loc, language), f"link {link!r} is not a plain "
                                         "https:// address")


def _khmer_digit_phones(ctx: Context) -> Iterator[Problem]:
    """Phones only make digits 0-9 into tap-to-call links."""
    for source, loc, text in ctx.nodes(Text):
        if (found := KHMER_PHONE.search(text.km)) is not None:
            yield source.problem((*loc, "km"), f"phone number {found.group(0)!r} is written in "
                                 "Khmer digits: use 0-9 so phones can call it")


TEXT_RULES = (_khmer_script, _unicode_hygiene, _khmer_order, _plain_text, _links,
              _khmer_digit_phones)
