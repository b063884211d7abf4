"""The first conversation end to end: start-up and one exchange over real HTTP, both databases."""

# The dialogs themselves are tested in-process in test_dialogs.py.

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from tests.helpers.harness import Harness, running_bot


@pytest.fixture
async def sokh(db_url: str) -> AsyncIterator[Harness]:
    """The running bot on each database."""
    async with running_bot(db_url) as harness:
        yield harness
    assert not harness.emu.errors, [(r.method, r.description) for r in harness.emu.errors]


async def _rows(harness: Harness, sql: str) -> list[tuple[object, ...]]:
    async with harness.app.services.engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(text(sql))]


async def test_commands_are_registered_in_both_languages(sokh: Harness) -> None:
    calls = sokh.emu.calls("setMyCommands")
    languages = {call.params.get("language_code") for call in calls}
    assert {"km", "en", None} <= languages
    km = next(c for c in calls if c.params.get("language_code") == "km")
    assert [c["command"] for c in km.params["commands"]] == [
        "start", "menu", "help", "counsellor", "hide", "language", "forget",
        "pause", "resume", "stop"]


async def test_start_and_a_language_choice_over_http(sokh: Harness) -> None:
    dara = sokh.emu.add_user(language_code="en")
    choice = await sokh.say(dara, "/start")
    assert sokh.emu.buttons(choice) == ["ខ្មែរ", "English"]
    menu = await sokh.tap(dara, choice, "ខ្មែរ")
    assert menu.message_id == choice.message_id, "the choice is edited in place"
    assert "តើអ្នកចង់ធ្វើអ្វី" in menu.text
    assert await _rows(sokh, "SELECT language FROM people") == [("km",)]
