"""Rules for traceable claims: each cited source carries the words (or the page) that support
the item, and nothing dated by its source reads as current or newer than its source."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.content.i18n import local_digits
from bot.content.model import Item, Quiz
from bot.content.tool.source import Context, Loc, PackSource, Problem

__all__ = ["QUOTE_RULES"]

Quoted = Item | Quiz
YEAR = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")
KHMER_YEAR = re.compile(r"(?<![០-៩])(?:១៩|២០)[០-៩]{2}(?![០-៩])")
LATIN_OF_KHMER = str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")


def _quoted(ctx: Context) -> Iterator[tuple[PackSource, Loc, Quoted]]:
    """Every tip, checklist entry and quiz, with its file and location."""
    yield from ctx.nodes(Item)
    yield from ctx.nodes(Quiz)


def _texts(node: Quoted) -> tuple[str, str]:
    """All the English and all the Khmer people read of the item or quiz."""
    if isinstance(node, Item):
        return node.text.en, node.text.km
    parts = (node.question, *node.options, node.explanation)
    return " ".join(p.en for p in parts), " ".join(p.km for p in parts)


def _quotes_name_a_source(ctx: Context) -> Iterator[Problem]:
    """`quotes[n].source` counts from 0 in the `sources` beside it."""
    for source, loc, node in _quoted(ctx):
        for index, quote in enumerate(node.quotes):
            if quote.source >= len(node.sources):
                yield source.problem((*loc, "quotes", index, "source"), f"quote names source "
                                     f"{quote.source}, but there are {len(node.sources)} "
                                     "sources (counting from 0)")


def _sources_are_quoted(ctx: Context) -> Iterator[Problem]:
    """A claim is traceable when its source's words (or page) sit beside the citation."""
    for source, loc, node in _quoted(ctx):
        if node.sources and not node.quotes:
            yield source.problem((*loc, "sources"), "no quotation or page reference for its "
                                 "sources: add quotes, or, if none supports the claim, drop "
                                 "the citation and say why in editor_note (docs/content.md)")


def _dated_claims_say_when(ctx: Context) -> Iterator[Problem]:
    """What a source dates (hours in 2017, a plan for 2017-2021) must not read as current:
    the text says that year, in both languages."""
    for source, loc, node in _quoted(ctx):
        en, km = _texts(node)
        for index, quote in enumerate(node.quotes):
            year = (quote.dated or "")[:4]
            missing = [lang for lang, text in (("en", en), ("km", km))
                       if year not in text and local_digits(year, "km") not in text]
            if year and missing:
                yield source.problem((*loc, "quotes", index, "dated"), f"its source dates this "
                                     f"claim {quote.dated}, but the {'/'.join(missing)} text "
                                     f"does not say {year}: it reads as current")


def _no_claim_newer_than_its_sources(ctx: Context) -> Iterator[Problem]:
    """A year in the text later than every dated source cannot come from those sources.

    Detectable only when every citation (or its quote) shows a year; otherwise skipped.
    """
    for source, loc, node in _quoted(ctx):
        newest = _newest_source_year(node)
        later = sorted(y for y in _text_years(node) if newest is not None and y > newest)
        if later:
            yield source.problem((*loc, "text"), f"the text says {later[0]}, but its newest "
                                 f"source is from {newest}: the claim cannot come from its "
                                 "sources")


def _older_years_are_quoted(ctx: Context) -> Iterator[Problem]:
    """A year in the text older than the newest source is a claim about the past (a 2013
    survey cited by a 2022 article): the words that date it must be quoted, or shown in the
    citation, so a reviewer can see the source says that year and not another."""
    for source, loc, node in _quoted(ctx):
        newest = _newest_source_year(node)
        if newest is None:
            continue
        shown = _years_shown(node)
        for year in sorted(y for y in _text_years(node) if y < newest and y not in shown):
            yield source.problem((*loc, "text"), f"the text says {year}, older than its "
                                 f"source ({newest}), but no quote or citation shows {year}: "
                                 "quote the words that date the claim")


def _text_years(node: Quoted) -> set[int]:
    """The years the text states, in Latin or Khmer digits, in either language."""
    en, km = _texts(node)
    years = {int(y) for y in YEAR.findall(en)}
    return years | {int(y.translate(LATIN_OF_KHMER)) for y in KHMER_YEAR.findall(km)}


def _years_shown(node: Quoted) -> set[int]:
    """The years the citations and their quotes (text, page, dated) show."""
    parts = [*node.sources]
    for quote in node.quotes:
        parts += [quote.text or "", quote.page or "", quote.dated or ""]
    return {int(y) for part in parts for y in YEAR.findall(part)}


def _newest_source_year(node: Quoted) -> int | None:
    """The newest year the sources show, or None when any of them shows none."""
    years = []
    for index, citation in enumerate(node.sources):
        dated = [q.dated for q in node.quotes if q.source == index and q.dated]
        found = [int(y) for y in YEAR.findall(citation)] + [int(d[:4]) for d in dated]
        if not found:
            return None
        years.append(max(found))
    return max(years) if years else None


QUOTE_RULES = (_quotes_name_a_source, _sources_are_quoted, _dated_claims_say_when,
               _no_claim_newer_than_its_sources, _older_years_are_quoted)
