"""Typed questions and typed commands end to end: the running bot against the emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.helpers.harness import Harness, running_bot


@pytest.fixture
async def sokh(tmp_path: Path) -> AsyncIterator[Harness]:
    """The running bot on SQLite."""
    async with running_bot(f"sqlite+aiosqlite:///{tmp_path / 'sokh.db'}") as harness:
        yield harness
    assert not harness.emu.errors, [(r.method, r.description) for r in harness.emu.errors]


async def test_a_typed_question_leads_to_the_content(sokh: Harness) -> None:
    dara = sokh.emu.add_user(language_code="en")
    found = await sokh.say(dara, "what documents do i need to make a passport")
    assert found.text.startswith("Here is what I found")
    labels = sokh.emu.buttons(found)
    assert labels[0].startswith("1. ") and "☰ Menu" in labels
    page = await sokh.tap(dara, found, labels[0])
    assert "passport" in page.text.lower()


async def test_romanised_and_khmer_questions_are_answered_in_the_persons_language(
    sokh: Harness,
) -> None:
    sophea = sokh.emu.add_user(language_code="km")
    await sokh.say(sophea, "/start")
    found = await sokh.say(sophea, "tver paspor trov ka eksa avey")
    assert found.text.startswith("នេះជាអ្វីដែលខ្ញុំរកឃើញ")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("ម៉ឺនុយ", "What would you like to do?"), ("menu", "What would you like to do?"),
     ("juy", "1280"), ("STOP", "Do you want to stop messages from Sokh?")],
)
async def test_typed_commands_work_like_buttons(sokh: Harness, typed: str, expected: str) -> None:
    dara = sokh.emu.add_user(language_code="en")
    reply = await sokh.say(dara, typed)
    assert expected in reply.text


async def test_risk_words_still_come_first(sokh: Harness) -> None:
    dara = sokh.emu.add_user(language_code="en")
    reply = await sokh.say(dara, "knhom chong slab")
    assert "1280" in reply.text and reply.text.index("1280") < reply.text.index("117")
    assert "សូមអរគុណដែលបានប្រាប់យើង" in reply.text  # answered in Khmer
