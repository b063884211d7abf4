"""Every validate rule, one bad example each (tests/data/content_bad/cases.yaml)."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.content.tool import render
from bot.content.tool.render import html_error
from bot.content.tool.source import Problem
from bot.content.tool.validate import validate_folder

DATA = Path(__file__).parent / "data" / "content_bad"
CASES: list[dict[str, Any]] = yaml.safe_load((DATA / "cases.yaml").read_text(encoding="utf-8"))
TODAY = date(2026, 11, 21)


def broken_copy(tmp_path: Path, case: dict[str, Any]) -> tuple[Path, str, int]:
    """The base content in tmp_path with one replacement made; also the new file text and
    the line where the replacement starts."""
    folder = tmp_path / "content"
    shutil.copytree(DATA / "base", folder)
    path = folder / case["file"]
    text = path.read_text(encoding="utf-8")
    assert text.count(case["find"]) == 1, f"{case['name']}: `find` must occur once"
    replace = re.sub(r"LONG(\d+)", lambda m: "a" * int(m.group(1)), case["replace"])
    start = text.count("\n", 0, text.index(case["find"])) + 1
    text = text.replace(case["find"], replace)
    path.write_text(text, encoding="utf-8")
    return folder, text, start


def expected_line(case: dict[str, Any], text: str, start: int) -> int | None:
    """`line_of`'s line when given (None: not checked), else where the replacement starts."""
    if "line_of" not in case:
        return start
    marker = case["line_of"]
    return None if marker is None else text.count("\n", 0, text.index(marker)) + 1


def test_the_base_is_valid() -> None:
    report = validate_folder(DATA / "base", today=TODAY)
    assert report.problems == ()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_example_is_caught_with_file_line_and_item(case: dict[str, Any],
                                                       tmp_path: Path) -> None:
    folder, text, start = broken_copy(tmp_path, case)
    errors = validate_folder(folder, today=TODAY).errors
    found = [p for p in errors if case["expect"] in str(p)]
    assert found, f"no error containing {case['expect']!r} in: {[str(p) for p in errors]}"
    problem = found[0]
    assert problem.file.endswith(case["file"])
    line = expected_line(case, text, start)
    if line is not None:
        assert problem.line == line, str(problem)
    if "item" in case:
        assert problem.item == case["item"], str(problem)


def test_each_case_breaks_a_different_rule() -> None:
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)) and len(names) >= 40


def test_stale_age_is_configurable(tmp_path: Path) -> None:
    case = next(c for c in CASES if c["name"] == "stale-service")
    folder, _, _ = broken_copy(tmp_path, case)
    assert not validate_folder(folder, today=TODAY, max_age_days=2000).errors
    warned = validate_folder(folder, today=TODAY, stale_severity="warning")
    assert not warned.errors and "check the number again" in str(warned.warnings[0])


def test_callback_data_over_64_bytes_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "CALLBACK_BYTES", 10)
    errors = validate_folder(DATA / "base", today=TODAY).errors
    assert any("callback data 't:parenting:one-on-one:1'" in str(p) for p in errors)


@pytest.mark.parametrize(("markup", "why"), [
    ("<b>ok</b> &amp; fine", None),
    ("<b>open", "never closed"),
    ("<b>x</i>", "does not close"),
    ("<div>x</div>", "unsupported tag"),
    ("fish & chips", "bare '&'"),
])
def test_rendered_html_is_checked_as_telegram_parses_it(markup: str, why: str | None) -> None:
    error = html_error(markup)
    assert (error is None) if why is None else (error is not None and why in error)


def test_problem_names_file_line_item_and_field() -> None:
    problem = Problem("content/x.yaml", 12, "'a.b'", "too long", field="text.km")
    assert str(problem) == "content/x.yaml:12: 'a.b': text.km: too long"


def test_quotes_say_where_they_were_read(tmp_path: Path) -> None:
    # The source itself, the fact sheet's summary, or the address of the copy read.
    for via in ("source", "fact-sheet", "https://www.aas-sofia.org/post/parenting-tips-part-2",
                "http://ccpcr-archive.ccpcr.org.kh/article/111"):
        case = {"name": "via", "file": "migration.yaml", "find": "      via: fact-sheet\n",
                "replace": f"      via: {via}\n"}
        folder, _, _ = broken_copy(tmp_path / via.replace("/", "_"), case)
        assert validate_folder(folder, today=TODAY).problems == (), via


def test_an_older_year_the_quote_shows_passes(tmp_path: Path) -> None:
    # The year the text states is in the quote: a reviewer can see the source says it.
    case = {"name": "older-quoted", "file": "parenting.yaml",
            "find": "    - WHO/UNICEF Parenting for Lifelong Health leaflet (2020)\n    quotes:\n"
                    "    - source: 0\n      text: the fact sheet's summary of this source\n"
                    "      via: fact-sheet\n    ages: [0-2, 3-5]\n    text:\n"
                    "      en: Give your child 20 minutes today.\n",
            "replace": "    - WHO/UNICEF Parenting for Lifelong Health leaflet (2020)\n"
                       "    quotes:\n    - source: 0\n"
                       "      text: a study from 2015 found that 20 minutes help\n"
                       "    ages: [0-2, 3-5]\n    text:\n"
                       "      en: A 2015 study found 20 minutes help. Give your child 20 today.\n"}
    folder, _, _ = broken_copy(tmp_path, case)
    assert validate_folder(folder, today=TODAY).problems == ()
