"""Crisis triage end to end: risk words get the emergency numbers first, even without a database."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.people import Profile
from tests.helpers.harness import Harness, lose_sqlite_database, running_bot

EMERGENCY = ("1280", "117")


@pytest.fixture
async def sokh(db_url: str) -> AsyncIterator[Harness]:
    """The running bot on each database, without counsellors configured."""
    async with running_bot(db_url) as harness:
        yield harness
    assert not harness.emu.errors, [(r.method, r.description) for r in harness.emu.errors]


async def test_risk_words_get_the_numbers_as_the_very_first_answer(sokh: Harness) -> None:
    child = sokh.emu.add_user(first_name="Mony", language_code="km")
    first = await sokh.say(child, "my stepfather hurts me")
    assert all(number in first.text for number in EMERGENCY)
    assert "You are not alone" in first.text, "English text gets the English reply"
    assert "💬 Talk to a counsellor" in sokh.emu.buttons(first)
    assert len(sokh.emu.chat_messages(sokh.chat(child))) == 2, "nothing before the crisis reply"


async def test_khmer_risk_words_get_the_khmer_reply(sokh: Harness) -> None:
    child = sokh.emu.add_user(first_name="Mony", language_code="en")
    first = await sokh.say(child, "ឪពុកចុងវាយខ្ញុំ")
    assert "អ្នកមិននៅម្នាក់ឯងទេ" in first.text and "1280" in first.text
    assert "💬 និយាយជាមួយអ្នកប្រឹក្សា" in sokh.emu.buttons(first)


async def test_look_alike_phrases_get_the_ordinary_answer(sokh: Harness) -> None:
    parent = sokh.emu.add_user(language_code="en")
    answer = await sokh.say(parent, "my toddler hits his sister")
    assert "not alone" not in answer.text


async def test_offer_without_counsellors_says_so_and_gives_numbers(sokh: Harness) -> None:
    child = sokh.emu.add_user(language_code="en")
    crisis = await sokh.say(child, "I want to kill myself")
    offer = await sokh.tap(child, crisis, "💬 Talk to a counsellor")
    assert "not ready yet" in offer.text and "1280" in offer.text


async def test_crisis_reply_survives_a_lost_database(tmp_path: Path) -> None:
    async with running_bot(f"sqlite+aiosqlite:///{tmp_path / 'sokh.db'}") as sokh:
        await lose_sqlite_database(sokh, tmp_path)
        child = sokh.emu.add_user(language_code="en")
        first = await sokh.say(child, "my stepfather hurts me")
        assert "1280" in first.text


async def test_a_hanging_database_does_not_delay_the_crisis_reply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def hang(telegram_id: int, chat_id: int) -> Profile:
        await asyncio.sleep(60)
        raise AssertionError("unreachable")

    async with running_bot(f"sqlite+aiosqlite:///{tmp_path / 'sokh.db'}") as sokh:
        monkeypatch.setattr(sokh.app.services.people, "touch", hang)
        child = sokh.emu.add_user(language_code="en")
        started = time.monotonic()
        first = await sokh.say(child, "he locked me in the room and took my passport")
        assert "1280" in first.text and time.monotonic() - started < 3.0
