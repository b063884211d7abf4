"""Read the manifest and packs with line numbers, and turn schema errors into problems."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.content.model import Manifest, Pack
from bot.content.tool.yamlsrc import Files, LineDict, line_of, parse_yaml

__all__ = ["Context", "Loaded", "PackSource", "Problem", "read_content", "walk"]

Loc = tuple[int | str, ...]
Severity = Literal["error", "warning"]
M = TypeVar("M", Manifest, Pack)
N = TypeVar("N")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, and exactly where."""

    file: str
    line: int
    item: str
    message: str
    severity: Severity = "error"
    field: str = ""

    def __str__(self) -> str:
        tag = "warning: " if self.severity == "warning" else ""
        field = f"{self.field}: " if self.field else ""
        return f"{self.file}:{self.line}: {self.item}: {field}{tag}{self.message}"


@dataclass
class PackSource:
    """One parsed YAML file: its raw data (with lines) and its model when the schema held."""

    name: str
    label: str
    raw: Any
    pack: Pack | None = None

    def problem(self, loc: Loc, message: str, severity: Severity = "error") -> Problem:
        """A problem at `loc` inside this file, with its line and item id filled in."""
        item, depth = item_at(self.raw, loc)
        field = ".".join(str(part) for part in loc[depth:])
        return Problem(self.label, line_of(self.raw, loc), item, message, severity, field)


@dataclass
class Loaded:
    """Everything read from one content version."""

    manifest: Manifest | None = None
    manifest_source: PackSource | None = None
    packs: list[PackSource] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def item_at(raw: Any, loc: Sequence[int | str]) -> tuple[str, int]:
    """The id of the innermost object with an id (or a week number) along `loc`, and how
    many parts of `loc` lead to it."""
    found, depth, node = "(top level)", 0, raw
    for index, part in enumerate(loc):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            found, depth = repr(node["id"]), index + 1
        elif isinstance(node, dict) and "week" in node:
            found, depth = f"week {node['week']}", index + 1
    return found, depth


def read_content(files: Files) -> Loaded:
    """Parse the manifest and every pack it lists; problems are collected, not raised."""
    loaded = Loaded()
    loaded.manifest_source = _parse(files, "manifest.yaml", loaded.problems)
    if loaded.manifest_source is not None:
        loaded.manifest = _model(Manifest, loaded.manifest_source, loaded.problems)
    for index, name in enumerate(loaded.manifest.packs if loaded.manifest else ()):
        if files.read(name) is None and loaded.manifest_source is not None:
            loaded.problems.append(loaded.manifest_source.problem(
                ("packs", index), f"pack file {name!r} is missing"))
            continue
        source = _parse(files, name, loaded.problems)
        if source is not None:
            source.pack = _model(Pack, source, loaded.problems)
            loaded.packs.append(source)
    return loaded


def _parse(files: Files, name: str, problems: list[Problem]) -> PackSource | None:
    label = f"{files.label}/{name}"
    text = files.read(name)
    if text is None:
        problems.append(Problem(label, 0, "(file)", "file is missing"))
        return None
    try:
        raw, duplicates = parse_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problems.append(Problem(label, line, "(file)", f"not valid YAML: {error}"))
        return None
    source = PackSource(name, label, raw if raw is not None else LineDict())
    problems += [Problem(label, line, "(file)", f"key {key!r} appears twice in one mapping")
                 for line, key in duplicates]
    return source


def _model(model: type[M], source: PackSource, problems: list[Problem]) -> M | None:
    try:
        return model.model_validate(source.raw)
    except ValidationError as error:
        for detail in error.errors():
            problems.append(source.problem(detail["loc"], detail["msg"]))
        return None


def walk(node: object, loc: Loc = ()) -> Iterator[tuple[Loc, object]]:
    """Every model, tuple element and value inside `node`, with its location."""
    yield loc, node
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from walk(getattr(node, name), (*loc, name))
    elif isinstance(node, tuple):
        for index, child in enumerate(node):
            yield from walk(child, (*loc, index))


@dataclass(frozen=True)
class Context:
    """What the rules look at: every pack that passed the schema, and today's date."""

    packs: tuple[tuple[PackSource, Pack], ...]
    today: date
    max_age_days: int = 365
    stale_severity: Severity = "error"

    def nodes(self, kind: type[N]) -> Iterator[tuple[PackSource, Loc, N]]:
        """Every object of `kind` in every pack, with its file and location."""
        for source, pack in self.packs:
            for loc, node in walk(pack):
                if isinstance(node, kind):
                    yield source, loc, node
