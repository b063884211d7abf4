"""Typed commands: "stop", "ឈប់", "mernuy" instead of a button (content/typed_commands.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.language.khmer import normalise_khmer
from bot.language.yamlfile import load_yaml

COMMANDS = ("stop", "menu", "help", "thanks")
_NOISE = re.compile(r"[\s.,!?;:។៕'\"“”‘’()\-]+")


class CommandsError(ValueError):
    """The typed-commands file is malformed; the message names file and command."""


def _key(text: str) -> str:
    """One form for comparing: Khmer normalised, lowercase, no spaces or punctuation."""
    return _NOISE.sub("", normalise_khmer(text).casefold())


@dataclass(frozen=True)
class TypedCommands:
    """The phrases that stand for each command, compared in one normalised form."""

    phrases: dict[str, str]  # normalised phrase -> command

    @classmethod
    def from_file(cls, path: Path) -> TypedCommands:
        """Load and validate the file; raise CommandsError naming what is wrong."""
        try:
            data = load_yaml(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise CommandsError(f"{path}: cannot read: {exc}") from exc
        return cls(_parse(data, str(path)))

    def match(self, text: str) -> str | None:
        """Return the command a whole message stands for, or None."""
        return self.phrases.get(_key(text)) if len(text) <= 40 else None


def _parse(data: object, source: str) -> dict[str, str]:
    if not isinstance(data, dict) or data.get("review") not in ("draft", "reviewed"):
        raise CommandsError(f"{source}: needs review: draft|reviewed and a commands: mapping")
    commands = data.get("commands")
    if not isinstance(commands, dict) or set(commands) - set(COMMANDS):
        raise CommandsError(f"{source}: commands must map some of {', '.join(COMMANDS)}")
    phrases: dict[str, str] = {}
    for command, words in commands.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and _key(w) for w in words):
            raise CommandsError(f"{source}: '{command}' needs a list of phrases")
        for word in words:
            if phrases.setdefault(_key(word), command) != command:
                raise CommandsError(f"{source}: {word!r} is given for two commands")
    return phrases
