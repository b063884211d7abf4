"""Reading the language files' YAML, refusing a key given twice in one mapping.

PyYAML keeps the last of two equal keys without a word: a second `km_gap` in a risk term
silently replaced the first. The language files are edited by hand, so a repeated key is
a mistake to name, with its line, before the bot starts.
"""

from __future__ import annotations

from collections.abc import Hashable

import yaml
from yaml.constructor import ConstructorError


class _StrictLoader(yaml.SafeLoader):
    """A safe loader whose mappings refuse repeated keys."""


def _mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[object, object]:
    lines: dict[Hashable, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, Hashable) and key in lines:
            raise ConstructorError(
                None, None, f"the key {key!r} is given twice (first on line {lines[key]})",
                key_node.start_mark,
            )
        if isinstance(key, Hashable):
            lines[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=True)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load_yaml(text: str) -> object:
    """Parse YAML safely; raise yaml.YAMLError (with the line) on a key given twice."""
    return yaml.load(text, Loader=_StrictLoader)
