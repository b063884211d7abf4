"""What changed between two content versions: folders or git revisions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.content.tool.flatten import Row, flatten
from bot.content.tool.source import Loaded, read_content
from bot.content.tool.yamlsrc import Files, FolderFiles, GitFiles

__all__ = ["Change", "ContentDiff", "diff_content", "files_for", "format_diff", "label"]

ENTITY = re.compile(r"^(.*=[^=#/]+|[^=#]*?#\d+)")
Kind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Change:
    """One item (or other thing with an id) that was added, removed or changed."""

    file: str
    entity: str
    kind: Kind
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContentDiff:
    """Every change between two versions."""

    old_version: str
    new_version: str
    changes: tuple[Change, ...]


def files_for(spec: str, repo: Path | None = None) -> Files:
    """A folder if `spec` is one, else a git revision (`REV` or `REV:path/to/content`)."""
    if Path(spec).is_dir():
        return FolderFiles(Path(spec))
    revision, _, folder = spec.partition(":")
    return GitFiles(revision, folder or "content", repo)


def _entities(rows: list[Row]) -> dict[str, dict[str, Row]]:
    """Rows grouped by the innermost id along their key (or list entry without ids)."""
    grouped: dict[str, dict[str, Row]] = {}
    for row in rows:
        found = ENTITY.match(row.key)
        entity = found.group(1) if found else "(top level)"
        field = row.key[len(entity):].lstrip("/") if found else row.key
        grouped.setdefault(entity, {})[field or "(value)"] = row
    return grouped


def _changed_fields(old: dict[str, Row], new: dict[str, Row]) -> tuple[str, ...]:
    fields = []
    for field in dict.fromkeys([*old, *new]):
        before, after = old.get(field), new.get(field)
        if before == after:
            continue
        if before is None or after is None or before.value is not None or after.value is not None:
            fields.append(field)
            continue
        langs = [lang for lang in ("en", "km") if getattr(before, lang) != getattr(after, lang)]
        fields.append(f"{field} [{', '.join(langs)}]")
    return tuple(fields)


def _rows(loaded: Loaded) -> dict[str, list[Row]]:
    sources = [s for s in (loaded.manifest_source, *loaded.packs) if s is not None]
    return {s.name: list(flatten(s.raw)) for s in sources}


def diff_content(old: Files, new: Files) -> ContentDiff:
    """Compare two versions item by item, naming the languages whose text changed."""
    before, after = read_content(old), read_content(new)
    for files, loaded in ((old, before), (new, after)):
        if loaded.manifest_source is None:
            raise ValueError(f"{files.label}: no content there (no manifest.yaml)")
    old_rows, new_rows = _rows(before), _rows(after)
    changes: list[Change] = []
    for name in dict.fromkeys([*old_rows, *new_rows]):
        was, now = _entities(old_rows.get(name, [])), _entities(new_rows.get(name, []))
        for entity in dict.fromkeys([*was, *now]):
            if entity not in now:
                changes.append(Change(name, entity, "removed"))
            elif entity not in was:
                changes.append(Change(name, entity, "added"))
            elif fields := _changed_fields(was[entity], now[entity]):
                changes.append(Change(name, entity, "changed", fields))
    return ContentDiff(_version(before), _version(after), tuple(changes))


def _version(loaded: Loaded) -> str:
    return loaded.manifest.version if loaded.manifest else "?"


def label(entity: str) -> str:
    """The id an editor knows (`parenting.calm.x`) rather than the whole path."""
    return entity.rsplit("=", 1)[-1] if "=" in entity else entity


def format_diff(diff: ContentDiff) -> str:
    """One line per change: + added, - removed, ~ changed (with fields and languages)."""
    mark = {"added": "+", "removed": "-", "changed": "~"}
    lines = [f"content {diff.old_version} -> {diff.new_version}: {len(diff.changes)} change(s)"]
    for change in diff.changes:
        detail = f": {'; '.join(change.fields)}" if change.fields else ""
        lines.append(f"{mark[change.kind]} {change.file}: {label(change.entity)}{detail}")
    return "\n".join(lines)
