"""Every interface string exists in Khmer and English, and every id used in code exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bot.content.i18n import LANGUAGES, Locales
from bot.content.model import AGES, CONCERNS
from bot.runtime.commands import COMMANDS
from dialogs.course.feedback import RATINGS
from dialogs.course.flow import EVERY, HOURS
from dialogs.crisis import OWN_LEADS
from dialogs.groups.session_edit import FIELDS
from dialogs.groups.session_form import REMINDERS
from dialogs.groups.session_list import ROW_ACTIONS

KHMER = re.compile(r"[\u1780-\u17FF]")


def _ftl_prefixes(locales: Locales) -> set[str]:
    return {message_id.split("-")[0] for message_id in locales.message_ids("en")}


def _ids_used_in_code(root: Path, prefixes: set[str]) -> set[str]:
    """String literals in bot/ and dialogs/ shaped like a Fluent id with a known prefix."""
    shape = re.compile(rf"^({'|'.join(prefixes)})(-[a-z0-9]+)+$")
    found: set[str] = set()
    for path in [*root.glob("bot/**/*.py"), *root.glob("dialogs/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.update([node.value] if shape.match(node.value) else [])
    return found


def test_both_languages_define_the_same_ids(locales: Locales) -> None:
    assert locales.message_ids("en") == locales.message_ids("km")


def test_every_id_used_in_code_exists_in_both_languages(locales: Locales, repo_root: Path) -> None:
    used = _ids_used_in_code(repo_root, _ftl_prefixes(locales))
    assert len(used) > 30, "the scan found suspiciously few ids"
    for language in LANGUAGES:
        missing = used - locales.message_ids(language)
        assert not missing, f"{language} lacks {sorted(missing)}"


# Every id the code builds from a stem and a value, with the vocabulary the value comes from.
# `travel-country-` is looked up with `t.has` and falls back to the content's own name.
BUILT: dict[str, tuple[str, ...]] = {
    "common-language-name-": LANGUAGES,
    "command-": tuple(COMMANDS),
    "course-age-": AGES,
    "course-hour-": HOURS,
    "course-every-": EVERY,
    "course-thanks-": RATINGS,
    "course-rated-": RATINGS,
    "course-button-": RATINGS,
    "course-checkin-thanks-": RATINGS,
    "course-checkin-rated-": RATINGS,
    "course-checkin-button-": RATINGS,
    "sessions-": ROW_ACTIONS,
    "sessions-field-": FIELDS,
    "sessions-edit-ask-": tuple(f for f in FIELDS if f != "topic"),  # a topic is tapped
    "crisis-lead-": tuple(category.value for category in OWN_LEADS),
    "sessions-reminders-": tuple(REMINDERS),
    "travel-country-": (),
    "parents-concern-": CONCERNS,
}


def _stems_in_code(root: Path, prefixes: set[str]) -> set[str]:
    """Id stems: an f-string's constant head, or a constant ending in '-', shaped like an id."""
    shape = re.compile(rf"^({'|'.join(prefixes)})(-[a-z0-9]+)*-$")
    found: set[str] = set()
    for path in [*root.glob("bot/**/*.py"), *root.glob("dialogs/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr) and node.values:
                node = node.values[0]
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.update([node.value] if shape.match(node.value) else [])
    return found


def test_ids_built_from_parts_exist(locales: Locales) -> None:
    built = {f"{stem}{value}" for stem, values in BUILT.items() for value in values}
    for language in LANGUAGES:
        assert built <= locales.message_ids(language), sorted(built - locales.message_ids(language))


def test_every_id_stem_in_code_is_enumerated(locales: Locales, repo_root: Path) -> None:
    stems = _stems_in_code(repo_root, _ftl_prefixes(locales))
    assert {"course-age-", "sessions-field-"} <= stems, "the scan found too few stems"
    assert stems <= BUILT.keys(), f"add {sorted(stems - BUILT.keys())} to BUILT with its values"


def test_khmer_strings_are_khmer_and_free_of_isolation_marks(locales: Locales) -> None:
    km = locales.get("km")
    names = ("page", "total", "source", "pack", "name", "phone", "hours", "who", "date",
             "language", "records")
    for message_id in locales.message_ids("km") - {"common-language-name-en"}:
        text = km(message_id, **dict.fromkeys(names, ""))
        latin_only = re.search("[A-Za-z]", text) and not KHMER.search(text)
        assert not latin_only, f"{message_id} is not written in Khmer"
        assert "\u2068" not in text and "\u2069" not in text


def test_unreviewed_khmer_files_say_draft(repo_root: Path) -> None:
    for path in (repo_root / "locales" / "km").glob("*.ftl"):
        assert "review: draft" in path.read_text(encoding="utf-8").splitlines()[0], path
