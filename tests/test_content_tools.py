"""diff, the spreadsheet round trip and the CLI verbs, on real files in tmp_path."""

from __future__ import annotations

import argparse
import subprocess
from datetime import date
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from bot.content.tool.cli import add_content_commands
from bot.content.tool.diff import diff_content, files_for, format_diff
from bot.content.tool.flatten import flatten, unflatten
from bot.content.tool.review import export_review, import_review
from bot.content.tool.source import read_content
from bot.content.tool.spreadsheet import export_xlsx, import_xlsx
from bot.content.tool.yamlout import plain
from bot.content.tool.yamlsrc import FolderFiles
from tests.helpers.content_files import BASE, copy_of, edit

SHIPPED = Path(__file__).resolve().parent.parent / "content"


def raw_data(folder: Path) -> dict[str, object]:
    loaded = read_content(FolderFiles(folder))
    sources = [loaded.manifest_source, *loaded.packs]
    return {s.name: plain(s.raw) for s in sources if s is not None}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    add_content_commands(parser.add_subparsers(required=True))
    args = parser.parse_args(argv)
    return int(args.handler(args))


def second_version(folder: Path) -> None:
    """Change a Khmer text, add a tip, remove a tip, change a service's review status."""
    edit(folder, "manifest.yaml", 'version: "test-1"\nchangelog', 'version: "test-2"\nchangelog')
    edit(folder, "parenting.yaml", "km: សម្រាក ១០ វិនាទី។", "km: សម្រាក ១០ វិនាទីសិន។")
    edit(folder, "migration.yaml", "  - id: migration.thailand.contacts",
         "  - id: migration.thailand.new\n    review: draft\n    sources: [x]\n    text:\n"
         "      en: New.\n      km: ថ្មី។\n  - id: migration.thailand.contacts")
    edit(folder, "parenting.yaml", "- id: parenting.one-on-one.ideas", "- id: parenting.x")
    edit(folder, "services.yaml", "  review: draft\n  sources:\n  - gentry",
         "  review: reviewed\n  sources:\n  - gentry")


def test_diff_lists_added_removed_and_changed_languages(tmp_path: Path) -> None:
    old = copy_of(BASE, tmp_path, "old")
    new = copy_of(BASE, tmp_path, "new")
    second_version(new)
    diff = diff_content(FolderFiles(old), FolderFiles(new))
    assert (diff.old_version, diff.new_version) == ("test-1", "test-2")
    lines = format_diff(diff).splitlines()
    assert "~ parenting.yaml: parenting.calm.pause: text [km]" in lines
    assert "+ migration.yaml: migration.thailand.new" in lines
    assert "- parenting.yaml: parenting.one-on-one.ideas" in lines
    assert "+ parenting.yaml: parenting.x" in lines
    assert "~ services.yaml: thai-1300: review" in lines
    assert len(diff.changes) == 6  # the five above and the manifest's version


def test_diff_reads_git_revisions(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    copy_of(BASE, repo)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "v1"], check=True)
    second_version(repo / "content")
    diff = diff_content(files_for("HEAD", repo), FolderFiles(repo / "content"))
    assert diff.old_version == "test-1" and len(diff.changes) == 6
    same = diff_content(files_for("HEAD:content", repo), files_for("HEAD", repo))
    assert same.changes == ()


@pytest.mark.parametrize("source", [BASE, SHIPPED], ids=["base", "shipped"])
def test_export_then_import_is_lossless(source: Path, tmp_path: Path) -> None:
    folder = copy_of(source, tmp_path)
    before, data = snapshot(folder), raw_data(folder)
    book = tmp_path / "content.xlsx"
    export_xlsx(folder, book)
    result = import_xlsx(book, folder)
    assert result.problems == [] and result.changed == []
    assert raw_data(folder) == data and snapshot(folder) == before
    again = tmp_path / "again.xlsx"
    export_xlsx(folder, again)
    assert sheets(again) == sheets(book)


def test_export_writes_formula_looking_text_as_text(tmp_path: Path) -> None:
    folder = copy_of(SHIPPED, tmp_path)
    path = folder / "migration.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  en: Safe migration", "  en: '=HYPERLINK(\"x\")'", 1),
                    encoding="utf-8")
    book = tmp_path / "content.xlsx"
    export_xlsx(folder, book)
    cells = [c for s in openpyxl.load_workbook(book).worksheets for row in s.iter_rows()
             for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)
    assert import_xlsx(book, folder).problems == [], "the text comes back exactly"


def sheets(book: Path) -> dict[str, list[tuple[object, ...]]]:
    workbook = openpyxl.load_workbook(book)
    return {s.title: list(s.iter_rows(values_only=True)) for s in workbook.worksheets}


def set_cell(book: Path, sheet: str, key: str, column: int, value: str) -> None:
    workbook = openpyxl.load_workbook(book)
    rows = workbook[sheet]
    row = next(r for r in rows.iter_rows(min_row=2) if r[0].value == key)
    row[column].value = value
    workbook.save(book)


def test_an_edited_translation_is_imported(tmp_path: Path) -> None:
    folder = copy_of(BASE, tmp_path)
    book = tmp_path / "content.xlsx"
    export_xlsx(folder, book)
    key = "topics=calm/items=parenting.calm.pause/text"
    set_cell(book, "parenting", key, 2, "សម្រាក ១០ វិនាទីសិន។ ខ្សែទូរស័ព្ទជំនួយកុមារ 1280។")
    assert import_xlsx(book, folder).changed == ["parenting.yaml"]
    item = read_content(FolderFiles(folder)).packs[0].pack
    assert item is not None and "វិនាទីសិន" in item.topics[1].items[0].text.km
    assert (folder / "services.yaml").read_text(encoding="utf-8").startswith("# Numbers")


def test_an_import_with_errors_changes_nothing(tmp_path: Path) -> None:
    folder = copy_of(BASE, tmp_path)
    before = snapshot(folder)
    book = tmp_path / "content.xlsx"
    export_xlsx(folder, book)
    set_cell(book, "parenting", "topics=calm/items=parenting.calm.pause/text", 2, "Latin")
    set_cell(book, "services", "services=thai-1300/phone", 3, "'117'")
    result = import_xlsx(book, folder)
    assert snapshot(folder) == before
    assert any(p.startswith("content.xlsx[parenting] row ") and "'parenting.calm.pause'" in p
               and "no Khmer script" in p for p in result.problems)
    assert any("content.xlsx[services]" in p and "TH short code" in p for p in result.problems)


def test_a_workbook_that_does_not_fit_is_refused(tmp_path: Path) -> None:
    folder = copy_of(BASE, tmp_path)
    before = snapshot(folder)
    book = tmp_path / "content.xlsx"
    export_xlsx(folder, book)
    workbook = openpyxl.load_workbook(book)
    workbook["migration"].title = "migrations"
    workbook["services"]["D2"] = "[unclosed"
    workbook.save(book)
    problems = import_xlsx(book, folder).problems
    assert any("'migrations' is not a content file" in p for p in problems)
    assert any("'migration' is missing" in p for p in problems)
    assert any("[services]" in p and "not valid YAML" in p for p in problems)
    assert snapshot(folder) == before


def test_flatten_and_unflatten_are_inverse_on_shipped_content() -> None:
    for name, data in raw_data(SHIPPED).items():
        assert unflatten(list(flatten(data))) == data, name


def test_cli_verbs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = copy_of(BASE, tmp_path)
    book = tmp_path / "out.xlsx"
    assert run("stats", "--folder", str(folder)) == 0
    assert run("export", str(book), "--folder", str(folder)) == 0
    assert run("import", str(book), "--folder", str(folder)) == 0
    assert run("diff", str(BASE), str(folder)) == 0
    assert run("diff", "no-such-revision", str(folder)) == 1
    assert run("validate", "--folder", str(folder), "--today", "2026-11-21") == 0
    assert run("validate", "--folder", str(folder), "--today", "2028-01-01") == 1
    assert run("validate", "--folder", str(folder), "--today", "2028-01-01",
               "--max-age-days", "1000") == 0
    out = capsys.readouterr().out
    assert "parenting: 3 items" in out and "nothing to change" in out
    assert "content test-1 -> test-1: 0 change(s)" in out
    assert "services.yaml:" in out and "check the number again" in out


def fill_review(book: Path, decisions: dict[str, tuple[str, str, str]]) -> list[str]:
    """Write decision, corrected text and reviewer on the rows whose key contains a given part."""
    workbook = openpyxl.load_workbook(book)
    sheet = workbook.worksheets[0]
    keys = []
    for row in sheet.iter_rows(min_row=2):
        keys.append(str(row[0].value))
        for end, (decision, corrected, reviewer) in decisions.items():
            if end in str(row[0].value):
                row[5].value, row[6].value, row[7].value = decision, corrected, reviewer
    workbook.save(book)
    return keys


def test_a_review_round_trip_marks_reviewed_things_and_applies_fixes(tmp_path: Path) -> None:
    folder = copy_of(BASE, tmp_path)
    book = tmp_path / "review.xlsx"
    assert run("review", "export", str(book), "--folder", str(folder)) == 0
    keys = fill_review(book, {
        "items=parenting.calm.pause/text": ("fix", "សម្រាក ១០ វិនាទីសិន។", "Sophea"),
        "services=chc-1280/": ("ok", "", "Sophea"),
    })
    assert "parenting.yaml:topics=calm/items=parenting.calm.pause/text" in keys
    assert import_review(book, folder, date(2026, 12, 6)).problems == []
    pack = read_content(FolderFiles(folder)).packs[0].pack
    assert pack is not None
    pause = pack.topics[1].items[0]
    assert pause.text.km == "សម្រាក ១០ វិនាទីសិន។" and pause.review == "reviewed"
    assert pause.reviewed["km"].by == "Sophea" and pause.reviewed["km"].on == date(2026, 12, 6)
    again = tmp_path / "again.xlsx"
    export_review(folder, again, "km")
    left = fill_review(again, {})
    assert not any("parenting.calm.pause" in k or "chc-1280" in k for k in left)
    half = tmp_path / "half.xlsx"
    export_review(folder, half, "km")
    fill_review(half, {"services=thai-1300/name": ("ok", "", "Sophea")})
    assert any("decide every text" in p for p in import_review(half, folder, date(2026, 12, 6)).problems)


def test_a_review_with_a_bad_row_changes_nothing(tmp_path: Path) -> None:
    folder = copy_of(BASE, tmp_path)
    before = snapshot(folder)
    book = tmp_path / "review.xlsx"
    export_review(folder, book, "km")
    fill_review(book, {
        "items=parenting.calm.pause/text": ("fix", "Latin only", "Sophea"),
        "services=chc-1280/": ("ok", "", ""),
    })
    problems = import_review(book, folder, date(2026, 12, 6)).problems
    assert snapshot(folder) == before
    assert any("reviewer's name" in p for p in problems)
    fill_review(book, {"services=chc-1280/": ("ok", "", "Sophea")})
    problems = import_review(book, folder, date(2026, 12, 6)).problems
    assert snapshot(folder) == before and any("no Khmer script" in p for p in problems)
