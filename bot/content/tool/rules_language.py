"""Rules for the language files beside the packs: risk terms, romanised spellings, typed
commands and the keywords of items; each problem names the file and what is wrong."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from bot.content.model import KHMER, Keywords
from bot.content.tool.source import Context, Problem
from bot.language.commands import CommandsError, TypedCommands
from bot.language.risk import RiskDetector

__all__ = ["KEYWORD_RULES", "language_problems"]


def _keywords(ctx: Context) -> Iterator[Problem]:
    """Khmer keywords in Khmer script, English ones without it: search reads each its way."""
    for source, loc, keywords in ctx.nodes(Keywords):
        for word in keywords.km:
            if not KHMER.search(word):
                yield source.problem((*loc, "km"), f"km keyword {word!r} has no Khmer script "
                                     "(romanised spellings go in romanised.yaml)")
        for word in keywords.en:
            if KHMER.search(word):
                yield source.problem((*loc, "en"), f"en keyword {word!r} is in Khmer script")


KEYWORD_RULES = (_keywords,)


def language_problems(folder: Path) -> list[Problem]:
    """Check risk_terms.yaml (with romanised.yaml) and typed_commands.yaml, if present."""
    problems: list[Problem] = []
    terms, commands = folder / "risk_terms.yaml", folder / "typed_commands.yaml"
    if terms.exists():
        try:
            RiskDetector.from_file(terms)
        except ValueError as error:
            problems.append(Problem(terms.name, 0, "", str(error)))
    if commands.exists():
        try:
            TypedCommands.from_file(commands)
        except CommandsError as error:
            problems.append(Problem(commands.name, 0, "", str(error)))
    return problems
