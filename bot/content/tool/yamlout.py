"""Write content YAML in one canonical style, keeping a file's leading comment block."""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["dump_yaml", "header_of", "plain"]


class _Dumper(yaml.SafeDumper):
    """Block style; multi-line text as literal blocks; never folded (Khmer has few spaces)."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    # Short lists of ids (ages, categories) read best on one line; sources stay one a line.
    short = all(isinstance(v, str | int) and len(str(v)) <= 40 for v in value)
    flow = short and sum(len(str(v)) + 2 for v in value) <= 90
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(list, _list)


def plain(value: Any) -> Any:
    """The same data as plain dicts and lists (LineDict and LineList dropped)."""
    if isinstance(value, dict):
        return {key: plain(child) for key, child in value.items()}
    if isinstance(value, list):
        return [plain(child) for child in value]
    return value


def header_of(text: str) -> str:
    """The comment lines at the top of a YAML file, to carry over when it is rewritten."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line + "\n")
    return "".join(lines)


def dump_yaml(data: Any, header: str = "") -> str:
    """YAML text for `data` in the canonical content style."""
    body = yaml.dump(plain(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     width=10_000, default_flow_style=False)
    return header + body
