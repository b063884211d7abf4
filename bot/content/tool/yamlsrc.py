"""YAML that remembers line numbers, read from a folder or from a git revision."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import yaml

__all__ = ["FolderFiles", "GitFiles", "LineDict", "LineList", "line_of", "parse_yaml"]


class LineDict(dict[Any, Any]):
    """A mapping with the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A sequence with the line it starts on and the line of each element."""

    line: int = 0
    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    duplicates: list[tuple[int, str]]


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    data = LineDict(loader.construct_mapping(node, deep=True))
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    for key, _ in node.value:
        if key.value in data.key_lines:  # PyYAML would silently keep the last one
            loader.duplicates.append((key.start_mark.line + 1, str(key.value)))
        data.key_lines[key.value] = key.start_mark.line + 1
    return data


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    data = LineList(loader.construct_sequence(node, deep=True))
    data.line = node.start_mark.line + 1
    data.item_lines = [child.start_mark.line + 1 for child in node.value]
    return data


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _sequence)


def parse_yaml(text: str) -> tuple[Any, list[tuple[int, str]]]:
    """Parse YAML into LineDict/LineList nodes; also return duplicate keys as (line, key)."""
    loader = _Loader(text)
    loader.duplicates = []
    try:
        return loader.get_single_data(), loader.duplicates
    finally:
        loader.dispose()


def line_of(raw: Any, loc: Sequence[int | str]) -> int:
    """The line of the deepest node along `loc` that is still present (0 when unknown)."""
    line, node = getattr(raw, "line", 0), raw
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line, node = node.key_lines.get(part, line), node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line, node = node.item_lines[part], node[part]
        else:
            break
    return line


class Files(Protocol):
    """Where content files come from: a folder or a git revision."""

    label: str

    def read(self, name: str) -> str | None:
        """The file's text, or None when it does not exist."""


class FolderFiles:
    """Content files in a folder on disk."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.label = folder, str(folder)

    def read(self, name: str) -> str | None:
        """The file's text, or None when it does not exist."""
        path = self.folder / name
        return path.read_text(encoding="utf-8") if path.is_file() else None


class GitFiles:
    """Content files at a git revision, as `git show REV:folder/name` gives them."""

    def __init__(self, revision: str, folder: str = "content", repo: Path | None = None) -> None:
        self.revision, self.folder, self.repo = revision, folder.strip("/"), repo or Path.cwd()
        self.label = f"{revision}:{self.folder}"

    def read(self, name: str) -> str | None:
        """The file's text at the revision, or None when it does not exist there."""
        done = subprocess.run(
            ["git", "-C", str(self.repo), "show", f"{self.revision}:{self.folder}/{name}"],
            capture_output=True, check=False,
        )
        return done.stdout.decode("utf-8") if done.returncode == 0 else None
