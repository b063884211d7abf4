"""A review round for native speakers who do not use git: a sheet out, decisions back in.

Export lists every text of each thing not yet reviewed in one language, beside its English
twin and its sources, with columns for the reviewer's decision, corrected text and name.
Import applies the decisions all or nothing: a thing is marked reviewed in that language
(`reviewed: {km: {by, on}}`, and `review: reviewed` for Khmer) only when every one of its
texts has a decision, and the whole content must still pass every rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]

from bot.content.tool.flatten import Row, encode, flatten, is_keyed, unflatten
from bot.content.tool.source import PackSource, read_content
from bot.content.tool.spreadsheet import (
    ImportResult,
    as_yaml,
    check_in_scratch,
    replace_changed,
    style_sheet,
)
from bot.content.tool.yamlsrc import FolderFiles

__all__ = ["export_review", "import_review"]

COLUMNS = ("key", "id", "english", "text", "sources", "decision", "corrected", "reviewer", "note")
WIDTHS = {"A": 30, "B": 30, "C": 60, "D": 60, "E": 30, "F": 12, "G": 60, "H": 20, "I": 30}
OK, FIX = "ok", "fix"  # a blank decision leaves the text for a later round


@dataclass(frozen=True)
class Draft:
    """One text of a thing not yet reviewed in the sheet's language."""

    owner: str  # the key of the reviewable thing the text belongs to
    key: str
    id: str
    english: str
    text: str
    sources: str


def export_review(folder: Path, target: Path, language: str) -> int:
    """Write the texts awaiting review in `language` to `target`; return how many."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = language
    sheet.append(COLUMNS)
    count = 0
    for source in read_content(FolderFiles(folder)).packs:
        for draft in drafts(source.raw, language):
            sheet.append([f"{source.name}:{draft.key}", draft.id, draft.english, draft.text,
                          draft.sources, "", "", "", ""])
            count += 1
    style_sheet(sheet, WIDTHS, "C2")
    book.save(target)
    return count


def drafts(raw: Any, language: str) -> Iterator[Draft]:
    """Texts of every reviewable thing in a pack that `language` has not reviewed."""
    owners = dict(_owners(raw, ""))
    for row in flatten(raw):
        if row.en is None or row.km is None:
            continue
        key = _owner_of(row.key, owners)
        node = owners.get(key) if key is not None else None
        if key is None or node is None or language in (node.get("reviewed") or {}):
            continue
        sources = ", ".join(str(s) for s in node.get("sources") or ())
        text = row.km if language == "km" else row.en
        yield Draft(key, row.key, str(node.get("id", key)), row.en, text, sources)


def import_review(source: Path, folder: Path, today: date) -> ImportResult:
    """Apply the sheet's decisions, or change nothing and list the problems."""
    result = ImportResult()
    book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    language = str(sheet.title)
    decided = [_decision(cells) for cells in sheet.iter_rows(min_row=2, values_only=True)]
    book.close()
    packs = {s.name: s for s in read_content(FolderFiles(folder)).packs}
    new: dict[str, str] = {}
    for name, pack in packs.items():
        mine = {d.key.split(":", 1)[1]: d for d in decided if d.key.startswith(f"{name}:")}
        rows = _apply(pack, mine, language, today, result.problems)
        new[name] = as_yaml(folder / name, unflatten(rows))
    unknown = {d.key for d in decided} - {f"{n}:{r.key}" for n, p in packs.items()
                                          for r in flatten(p.raw)}
    result.problems += [f"{source.name}: {key}: no such text" for key in sorted(unknown)]
    if not result.problems:
        result.problems = [str(p) for p in check_in_scratch(folder, new)]
    if not result.problems:
        result.changed = replace_changed(folder, new)
    return result


@dataclass(frozen=True)
class _Decision:
    key: str
    decision: str
    corrected: str
    reviewer: str


def _decision(cells: tuple[Any, ...]) -> _Decision:
    values = [("" if v is None else str(v).strip()) for v in (*cells, *[None] * 9)[:9]]
    return _Decision(values[0], values[5].lower(), values[6], values[7])


def _apply(pack: PackSource, decided: dict[str, _Decision], language: str, today: date,
           problems: list[str]) -> list[Row]:
    """The pack's rows with corrections made and review marks added for whole things."""
    owners = dict(_owners(pack.raw, ""))
    rows, texts_of = list(flatten(pack.raw)), dict[str, list[str]]()
    for row in rows:
        owner = _owner_of(row.key, owners) if row.en is not None else None
        if owner is not None:
            texts_of.setdefault(owner, []).append(row.key)
    for key, decision in decided.items():
        problem = _check(decision)
        if problem:
            problems.append(f"{pack.name}:{key}: {problem}")
    rows = [_corrected(row, decided.get(row.key), language) for row in rows]
    done: set[str] = set()
    for owner, keys in texts_of.items():
        marks = [decided[k] for k in keys if k in decided and decided[k].decision]
        if marks and len(marks) < len(keys):
            problems.append(f"{pack.name}:{owner}: decide every text of it, or none")
        elif marks:
            rows += _marks(owner, language, marks[0].reviewer, today)
            done.add(owner)
    # Khmer is the language a native speaker must check; English is the source text.
    reviewed = {f"{owner}/review" for owner in done} if language == "km" else set()
    return [Row(r.key, value=encode("reviewed")) if r.key in reviewed else r for r in rows]


def _check(decision: _Decision) -> str:
    if decision.decision not in ("", OK, FIX):
        return f"decision {decision.decision!r} is not {OK!r}, {FIX!r} or blank"
    if decision.decision and not decision.reviewer:
        return "a decision needs the reviewer's name"
    if decision.decision == FIX and not decision.corrected:
        return "'fix' needs the corrected text"
    return ""


def _corrected(row: Row, decision: _Decision | None, language: str) -> Row:
    if decision is None or decision.decision != FIX:
        return row
    if language == "km":
        return Row(row.key, en=row.en, km=decision.corrected)
    return Row(row.key, en=decision.corrected, km=row.km)


def _marks(owner: str, language: str, reviewer: str, today: date) -> list[Row]:
    return [Row(f"{owner}/reviewed/{language}/by", value=encode(reviewer)),
            Row(f"{owner}/reviewed/{language}/on", value=encode(today))]


def _owners(node: Any, key: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every reviewable thing (a mapping with `review`) with its flatten key."""
    if isinstance(node, dict):
        if "review" in node:
            yield key, node
        for name, child in node.items():
            yield from _owners(child, f"{key}/{name}" if key else str(name))
    elif isinstance(node, list):
        keyed = is_keyed(node)
        for index, child in enumerate(node):
            yield from _owners(child, f"{key}={child['id']}" if keyed else f"{key}#{index}")


def _owner_of(key: str, owners: dict[str, Any]) -> str | None:
    """The nearest reviewable thing above `key`."""
    parts = key.split("/")
    for end in range(len(parts) - 1, 0, -1):
        candidate = "/".join(parts[:end])
        if candidate in owners:
            return candidate
    return None
