"""Rules for sources: every citation names a publisher readers see in their language, and
editorial notes stay in `editor_note`, out of anything the bot sends."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.content.model import Category, Item, Office, Publisher, Quiz, Service, Text, cited_by
from bot.content.tool.source import Context, Loc, PackSource, Problem

__all__ = ["SOURCE_LINK_RULES", "SOURCE_RULES", "looks_editorial"]

Cites = Item | Quiz | Service | Category | Office
# The wording of notes meant for editors and reviewers, which people must never read.
EDITORIAL = re.compile(r"general guidance|to be checked|reviewer|not from a source|"
                       r"fact sheet|\bTODO\b|\bFIXME\b", re.IGNORECASE)


def looks_editorial(text: str) -> bool:
    """True when `text` reads like a note to editors rather than something for people."""
    return EDITORIAL.search(text) is not None


def _citing(ctx: Context, kinds: tuple[type[Cites], ...] = (Item, Quiz, Service, Category,
                                                           Office),
            ) -> Iterator[tuple[PackSource, Loc, Cites]]:
    for kind in kinds:
        yield from ctx.nodes(kind)


def _no_notes_in_sources(ctx: Context) -> Iterator[Problem]:
    """Sources are shown to people; a note to editors belongs in `editor_note`."""
    for source, loc, node in _citing(ctx):
        for index, citation in enumerate(node.sources):
            if looks_editorial(citation):
                yield source.problem((*loc, "sources", index), "an editorial note in sources: "
                                     "move it to editor_note, which the bot never sends")


def _no_notes_in_texts(ctx: Context) -> Iterator[Problem]:
    """No text the bot sends reads like a note to editors."""
    for source, loc, text in ctx.nodes(Text):
        if looks_editorial(text.en):
            yield source.problem((*loc, "en"), "reads like an editorial note: move it to "
                                 "editor_note, which the bot never sends")


def _unsourced_says_why(ctx: Context) -> Iterator[Problem]:
    """A tip or quiz with no source carries an editor_note saying why."""
    for source, loc, node in _citing(ctx, (Item, Quiz)):
        if not node.sources and not node.editor_note:
            yield source.problem((*loc, "sources"), "no source: cite one, or say in "
                                 "editor_note why there is none")


def _citations_name_publishers(ctx: Context) -> Iterator[Problem]:
    """Each citation names a publisher, so readers see who said it in their own language."""
    publishers = tuple(p for _, _, p in ctx.nodes(Publisher))
    for source, loc, node in _citing(ctx):
        for index, citation in enumerate(node.sources):
            if not looks_editorial(citation) and not cited_by(citation, publishers):
                yield source.problem((*loc, "sources", index), f"{citation!r} names no "
                                     "publisher in sources.yaml: add one with its name in "
                                     "both languages, or fix the citation")


SOURCE_RULES = (_no_notes_in_sources, _no_notes_in_texts, _unsourced_says_why)
SOURCE_LINK_RULES = (_citations_name_publishers,)
