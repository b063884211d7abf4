"""Content data as flat rows (key, en, km, value) and back: for spreadsheets and diffs.

A key is a path: `topics=one-on-one/items=parenting.calm.x/text`. `=id` picks the list
element with that id, `#3` the fourth element of a list without ids. A Text (a mapping of
exactly `en` and `km`) is one row with both languages; every other leaf is one row whose
`value` is YAML, so `'1280'` stays a string and `2026-11-21` a date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from bot.content.tool.yamlout import plain

__all__ = ["FlattenError", "Row", "decode", "encode", "flatten", "is_keyed", "unflatten"]

STEP = re.compile(r"([=#])([^=#]+)")
PART = re.compile(r"^([^=#]+)((?:[=#][^=#/]+)*)$")


class FlattenError(ValueError):
    """A row that cannot be put back into the content."""


@dataclass(frozen=True)
class Row:
    """One editable cell group: a text in both languages, or one YAML value."""

    key: str
    en: str | None = None
    km: str | None = None
    value: str | None = None


def encode(value: Any) -> str:
    """The value as one line of YAML."""
    text: str = yaml.safe_dump(plain(value), default_flow_style=True, allow_unicode=True,
                               width=10**6)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def decode(text: str) -> Any:
    """The value of a cell written by `encode` (or typed by an editor in the same form)."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise FlattenError(f"value {text!r} is not valid YAML: {error}") from error


def _is_text(node: Any) -> bool:
    return isinstance(node, dict) and set(node) == {"en", "km"} and all(
        isinstance(v, str) for v in node.values())


def is_keyed(node: list[Any]) -> bool:
    """Whether a list's elements are picked by their unique ids (`=id`) rather than `#index`."""
    ids = [child.get("id") if isinstance(child, dict) else None for child in node]
    return all(isinstance(i, str) and "/" not in i for i in ids) and len(set(ids)) == len(ids)


def flatten(node: Any, key: str = "") -> Iterator[Row]:
    """Every leaf of `node` as a row, in document order."""
    if _is_text(node):
        yield Row(key, en=node["en"], km=node["km"])
    elif isinstance(node, dict) and node:
        for name, child in node.items():
            yield from flatten(child, f"{key}/{name}" if key else str(name))
    elif isinstance(node, list) and node and any(isinstance(c, dict | list) for c in node):
        keyed = is_keyed(node)
        for index, child in enumerate(node):
            yield from flatten(child, f"{key}={child['id']}" if keyed else f"{key}#{index}")
    else:
        yield Row(key, value=encode(node))


def _steps(key: str) -> list[tuple[str, str]]:
    steps: list[tuple[str, str]] = []
    for part in key.split("/"):
        match = PART.match(part)
        if match is None:
            raise FlattenError(f"key {key!r} is not a content path")
        steps.append(("key", match.group(1)))
        steps += [(kind, name) for kind, name in STEP.findall(match.group(2))]
    return steps


def unflatten(rows: list[Row]) -> dict[str, Any]:
    """Rebuild the data from rows (the inverse of `flatten`)."""
    root: dict[str, Any] = {}
    made: dict[str, Any] = {"": root}
    for row in rows:
        steps, prefix = _steps(row.key), ""
        for (kind, name), (next_kind, _) in zip(steps, [*steps[1:], ("leaf", "")], strict=True):
            parent, prefix = made[prefix], prefix + ("/" if kind == "key" and prefix else "")
            prefix += name if kind == "key" else kind + name
            if next_kind == "leaf":
                _set_leaf(parent, kind, row)
            elif prefix not in made:
                made[prefix] = _new_child(parent, kind, name, [] if next_kind != "key" else {})
    return root


def _new_child(parent: Any, kind: str, name: str, child: Any) -> Any:
    if kind == "key" and isinstance(parent, dict):
        if name in parent:
            raise FlattenError(f"key {name!r} appears twice")
        parent[name] = child
    elif isinstance(parent, list):
        parent.append(child)
    else:
        raise FlattenError(f"{kind}{name}: a list step under a mapping")
    return child


def _set_leaf(parent: Any, kind: str, row: Row) -> None:
    if row.value is not None and (row.en or row.km):
        raise FlattenError(f"row {row.key!r} has both a value and texts")
    value = decode(row.value) if row.value is not None else {
        lang: text for lang, text in (("en", row.en), ("km", row.km)) if text is not None}
    name = _steps(row.key)[-1][1]
    _new_child(parent, kind, name, value)
