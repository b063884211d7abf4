"""Long polling confirms only what was handled; stopping is bounded; a replay is harmless.

Real HTTP against the emulator, a real SQLite file, and the real Redis for claims.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.runtime.app import Application
from simulator.emulator import BotApiEmulator
from simulator.faults import Fault
from tests.helpers.databases import REDIS_TEST_URL, forget_redis_keys
from tests.helpers.harness import TOKEN, settings_for

CLAIMS = (f"sokh:update:{TOKEN.split(':')[0]}:*", "sokh:turn*")


@asynccontextmanager
async def _polling(emu: BotApiEmulator, url: str, **overrides: Any
                   ) -> AsyncIterator[tuple[Application, asyncio.Task[None]]]:
    app = Application(settings_for(emu, url, **overrides))
    await app.prepare()
    serving = asyncio.create_task(app.serve(handle_signals=False))
    await asyncio.wait_for(app.serving.wait(), 10)
    try:
        yield app, serving
    finally:
        await app.stop()
        await asyncio.wait_for(serving, 30)


def _help_replies(emu: BotApiEmulator, user: Any) -> int:
    return sum(1 for m in emu.chat_messages(emu.private_chat(user))
               if m.from_bot and "1280" in (m.text or ""))


@pytest.mark.parametrize("redis", [False, True], ids=["table", "redis"])
async def test_stopping_during_a_slow_handler_is_quick_and_the_update_comes_again_once(
    tmp_path: Path, redis: bool
) -> None:
    await forget_redis_keys(*CLAIMS)
    url = f"sqlite+aiosqlite:///{tmp_path / 'p.db'}"
    extra = {"redis_url": REDIS_TEST_URL} if redis else {}
    async with BotApiEmulator(token=TOKEN) as emu:
        dara = emu.add_user(language_code="en")
        release = asyncio.Event()
        async with _polling(emu, url, **extra) as (app, serving):
            waiting = emu.wait_for_bot_message(emu.private_chat(dara), 10)
            emu.send_text(dara, "/start")
            await waiting
            # Her /help's reply hangs at Telegram (then fails, nothing sent).
            emu.faults.arm("sendMessage", Fault.stall(release))
            emu.send_text(dara, "/help")
            await asyncio.sleep(1.0)
            started = time.monotonic()
            await app.stop()
            await asyncio.wait_for(serving, 30)
            stopped_in = time.monotonic() - started
        release.set()
        assert stopped_in < 6, stopped_in
        assert _help_replies(emu, dara) == 0
        # The next start gets the unconfirmed /help again and answers it, once.
        async with _polling(emu, url, **extra):
            await emu.wait_for_bot_message(emu.private_chat(dara), 15,
                                           lambda m: "1280" in (m.text or ""))
            await emu.wait_idle()
        assert _help_replies(emu, dara) == 1
    await forget_redis_keys(*CLAIMS)


async def test_a_replayed_batch_is_skipped_and_new_updates_are_answered(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'p.db'}"
    async with BotApiEmulator(token=TOKEN) as emu:
        people = [emu.add_user(language_code="en") for _ in range(12)]
        async with _polling(emu, url):
            answers = [asyncio.ensure_future(emu.wait_for_bot_message(emu.private_chat(p), 10))
                       for p in people]
            batch = [emu.send_text(person, "/help") for person in people]
            await asyncio.gather(*answers)
            await emu.wait_idle()
        # A process killed before confirming leaves the batch with Telegram: it comes again.
        for update in batch:
            emu.queue.pending[update["update_id"]] = update
        async with _polling(emu, url):
            late = people[0]
            waiting = emu.wait_for_bot_message(emu.private_chat(late), 10)
            emu.send_text(late, "/menu")
            await waiting
            await emu.wait_idle()
            assert not emu.queue.pending  # confirmed after handling
        assert [_help_replies(emu, person) for person in people] == [1] * len(people)
        # The stopped process's long poll, cut off by the next one's (409), is no one's error.
        assert not [e for e in emu.errors if e.error_code != 409]


async def test_a_second_poller_is_named_as_the_mistake_it_is(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with BotApiEmulator(token=TOKEN) as emu:
        dara = emu.add_user(language_code="en")
        async with _polling(emu, f"sqlite+aiosqlite:///{tmp_path / 'a.db'}"), \
                _polling(emu, f"sqlite+aiosqlite:///{tmp_path / 'b.db'}"):
            waiting = emu.wait_for_bot_message(emu.private_chat(dara), 10)
            emu.send_text(dara, "/help")
            await waiting  # someone still answers
            for _ in range(100):
                if any("another process is polling" in r.message for r in caplog.records):
                    break
                await asyncio.sleep(0.1)
    said = [r for r in caplog.records if "another process is polling" in r.message]
    assert said and said[0].levelname == "ERROR"
    assert len(said) <= 2, "once per process, not once per poll"
