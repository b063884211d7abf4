"""XLSX round trip: one sheet per pack (plus the manifest), a column per language.

Import is all or nothing: the whole workbook is checked with every content rule in a
scratch copy of the folder, and files are replaced only when nothing is wrong.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]

from bot.content.tool.flatten import FlattenError, Row, flatten, unflatten
from bot.content.tool.source import Problem, read_content
from bot.content.tool.validate import validate_folder
from bot.content.tool.yamlout import dump_yaml, header_of, plain
from bot.content.tool.yamlsrc import FolderFiles, parse_yaml
from bot.runtime.sheets import as_text_cells

__all__ = ["ImportResult", "as_yaml", "check_in_scratch", "export_xlsx", "import_xlsx",
           "replace_changed", "style_sheet"]

COLUMNS = ("key", "en", "km", "value")
WIDTHS = {"A": 45, "B": 70, "C": 70, "D": 40}


@dataclass
class ImportResult:
    """What an import changed, or why it changed nothing."""

    changed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def export_xlsx(folder: Path, target: Path) -> list[str]:
    """Write the manifest and every pack to `target`; return the sheet names."""
    loaded = read_content(FolderFiles(folder))
    if loaded.manifest_source is None:
        raise FlattenError("; ".join(str(p) for p in loaded.problems))
    book = openpyxl.Workbook()
    book.remove(book.active)
    for source in (loaded.manifest_source, *loaded.packs):
        _write_sheet(book.create_sheet(Path(source.name).stem), list(flatten(source.raw)))
    book.save(target)
    return [str(name) for name in book.sheetnames]


def _write_sheet(sheet: Any, rows: list[Row]) -> None:
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([row.key, row.en, row.km, row.value])
    style_sheet(sheet, WIDTHS, "B2")


def style_sheet(sheet: Any, widths: dict[str, int], freeze: str) -> None:
    """Every cell text (never a formula or a number), wrapped; a bold, frozen header."""
    as_text_cells(sheet)
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.number_format = "@"  # text: spreadsheet programs must not turn 1280 into a number
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = freeze


def import_xlsx(source: Path, folder: Path) -> ImportResult:
    """Replace content files from the workbook, or change nothing and list the problems."""
    result = ImportResult()
    sheets = _read_book(source, result.problems)
    wanted = ["manifest.yaml", *(s.name for s in read_content(FolderFiles(folder)).packs)]
    for name in sorted(set(sheets) ^ set(wanted)):
        where = "is not a content file" if name in sheets else "is missing from the workbook"
        result.problems.append(f"{source.name}: sheet {Path(name).stem!r} {where}")
    if result.problems:
        return result
    new = {name: as_yaml(folder / name, sheets[name].data) for name in wanted}
    problems = check_in_scratch(folder, new)
    result.problems = [_where(source.name, sheets, p) for p in problems]
    if not result.problems:
        result.changed = replace_changed(folder, new)
    return result


@dataclass
class _Sheet:
    data: dict[str, Any]
    id_rows: dict[str, int]


def _read_book(source: Path, problems: list[str]) -> dict[str, _Sheet]:
    book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    sheets = {}
    for sheet in book.worksheets:
        rows = [_row(cells) for cells in sheet.iter_rows(min_row=2, values_only=True)]
        id_rows = {str(r.value).strip("'\""): n + 2 for n, r in enumerate(rows)
                   if r.value and (r.key == "id" or r.key.endswith("/id"))}
        try:
            data = unflatten([r for r in rows if r.key])
        except FlattenError as error:
            problems.append(f"{source.name}[{sheet.title}]: {error}")
            continue
        sheets[f"{sheet.title}.yaml"] = _Sheet(data, id_rows)
    book.close()
    return sheets


def _row(cells: tuple[Any, ...]) -> Row:
    key, en, km, value = (*cells, None, None, None, None)[:4]
    return Row(_cell(key) or "", _cell(en), _cell(km), _cell(value))


def _cell(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def as_yaml(path: Path, data: dict[str, Any]) -> str:
    """The data as the YAML of `path`, keeping the file's header comment."""
    header = header_of(path.read_text(encoding="utf-8")) if path.is_file() else ""
    return dump_yaml(data, header)


def check_in_scratch(folder: Path, new: dict[str, str]) -> tuple[Problem, ...]:
    """Every rule's errors on a scratch copy of `folder` with the `new` file texts."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "content"
        shutil.copytree(folder, copy)
        for name, text in new.items():
            (copy / name).write_text(text, encoding="utf-8")
        return validate_folder(copy).errors


def _where(book: str, sheets: dict[str, _Sheet], problem: Problem) -> str:
    """Name the sheet and row an editor sees instead of the scratch YAML file and line."""
    sheet = Path(problem.file).stem
    found = sheets.get(f"{sheet}.yaml")
    row = found.id_rows.get(problem.item.strip("'")) if found else None
    place = f"{book}[{sheet}]" + (f" row {row}" if row else "")
    field = f"{problem.field}: " if problem.field else ""
    return f"{place}: {problem.item}: {field}{problem.message}"


def replace_changed(folder: Path, new: dict[str, str]) -> list[str]:
    """Write the files whose data changed, each atomically; return their names."""
    changed = []
    for name, text in new.items():
        path = folder / name
        if plain(parse_yaml(path.read_text(encoding="utf-8"))[0]) != plain(parse_yaml(text)[0]):
            temporary = path.with_name(f".{name}.importing")
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, path)  # atomic per file: readers see old or new, never half
            changed.append(name)
    return changed
