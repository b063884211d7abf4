"""Copies of content folders to break on purpose, in tmp_path."""

from __future__ import annotations

import shutil
from pathlib import Path

# A small, valid content pack that tests copy and then edit into shape.
BASE = Path(__file__).parents[1] / "data" / "content_bad" / "base"


def copy_of(source: Path, tmp_path: Path, name: str = "content") -> Path:
    """A copy of a content folder under tmp_path."""
    target = tmp_path / name
    shutil.copytree(source, target)
    return target


def edit(folder: Path, name: str, old: str, new: str) -> None:
    """Replace text in one content file; the old text must be there."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
