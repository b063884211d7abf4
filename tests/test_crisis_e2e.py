"""Crisis triage end to end: the emergency numbers go out even without a database."""

# The replies themselves are tested in-process in test_dialogs_crisis.py.

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bot.storage.people import Profile
from tests.helpers.harness import lose_sqlite_database, running_bot


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
