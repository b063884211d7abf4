"""Spreadsheet cells are data, never formulas: what people typed must not run in Excel."""

from __future__ import annotations

from typing import Any

# A cell that starts with one of these is read as a formula by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A CSV value that a spreadsheet shows as text: a leading apostrophe disarms a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def as_text_cells(sheet: Any) -> None:
    """Store every string cell of an openpyxl sheet as a string, never as a formula."""
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"  # the exact text survives a round trip, unlike a prefix
