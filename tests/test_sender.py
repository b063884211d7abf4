"""The outbox sender through the Bot API emulator, on real SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiogram import Bot
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.proactive.limits import SendLimits
from bot.proactive.outbox import Claimed, NewMessage, Outbox
from bot.proactive.quiet import QuietHours
from bot.proactive.sender import Rendered, Sender, SenderConfig
from bot.runtime.transport import create_bot
from bot.storage import migrate
from bot.storage.database import create_engine, session_factory
from bot.storage.people import People
from bot.storage.vault import Vault
from simulator.emulator import BotApiEmulator
from simulator.state import SimUser
from tests.helpers.harness import TOKEN, settings_for

ZONE = ZoneInfo("Asia/Phnom_Penh")
NOON = datetime(2026, 12, 1, 12, 0, tzinfo=ZONE).astimezone(UTC)


@dataclass
class FakeTime:
    """Wall clock and monotonic clock that move only when told (or when slept on)."""

    now: datetime = NOON
    mono: float = 1000.0

    def __call__(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.mono

    async def sleep(self, seconds: float) -> None:
        self.mono += seconds

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self.mono += seconds


def plain(row: Claimed) -> Rendered:
    """A test renderer: the step as text, delivering a made-up content item."""
    return Rendered(f"nudge {row.step}", None, ("v-test", f"item-{row.step}"))


@dataclass
class Rig:
    """Emulator, database and the pieces a sender needs, on a fake clock."""

    emu: BotApiEmulator
    engine: AsyncEngine
    vault: Vault
    time: FakeTime
    bots: list[Bot] = field(default_factory=list)

    @property
    def people(self) -> People:
        return People(session_factory(self.engine), self.vault, self.time)

    @property
    def outbox(self) -> Outbox:
        return Outbox(session_factory(self.engine))

    async def person(self, language: str = "en") -> tuple[SimUser, str]:
        """A person who has started the bot, stored with their encrypted chat id."""
        user = self.emu.add_user(language_code=language)
        self.emu.private_chat(user).started = True
        profile = await self.people.touch(user.id, user.id)
        await self.people.set_language(profile.key, language)
        return user, profile.key

    async def queue(self, key: str, steps: list[str], campaign: str = "test") -> None:
        """Queue one message per step for a person, due now."""
        chat = await self._chat_enc(key)
        await self.outbox.enqueue([NewMessage(key, campaign, s, chat, "en", {}, self.time())
                                   for s in steps])

    async def _chat_enc(self, key: str) -> str:
        async with self.engine.connect() as conn:
            query = text("SELECT chat_id_enc FROM people WHERE key = :k")
            return str((await conn.execute(query, {"k": key})).scalar_one())

    def sender(self, quiet: tuple[int, int] = (21, 7), **config: Any) -> Sender:
        """A sender on its own Bot session, sleeping on the fake clock."""
        bot = create_bot(settings_for(self.emu, "sqlite://"))
        self.bots.append(bot)
        fake = {"monotonic": self.time.monotonic, "sleep": self.time.sleep}
        options = SenderConfig(**{**fake, **config})
        return Sender(bot, self.outbox, self.people, self.vault, plain, self.time,
                      QuietHours(*quiet, ZONE), options)

    async def statuses(self) -> dict[str, int]:
        return await self.outbox.counts()


@asynccontextmanager
async def rig_on(url: str, vault: Vault, **emulator: Any) -> AsyncIterator[Rig]:
    """A migrated database and a running emulator."""
    engine = create_engine(url)
    await migrate.upgrade(engine)
    async with BotApiEmulator(token=TOKEN, **emulator) as emu:
        rig = Rig(emu, engine, vault, FakeTime())
        try:
            yield rig
        finally:
            for bot in rig.bots:
                await bot.session.close()
            await engine.dispose()


def sent_to(rig: Rig, user: SimUser) -> list[str]:
    """Texts the bot sent to a person."""
    return [str(c.params["text"]) for c in rig.emu.calls("sendMessage")
            if c.ok and c.params["chat_id"] == user.id]


async def test_sends_due_rows_once_and_records_deliveries(db_url: str, vault: Vault) -> None:
    async with rig_on(db_url, vault) as rig:
        dara, key = await rig.person()
        await rig.queue(key, ["a", "b"])
        sender = rig.sender()
        assert await sender.run_once() == 2
        assert sent_to(rig, dara) == ["nudge a"], "one message a second to one chat"
        assert await sender.run_once() == 0
        rig.time.advance(1)
        assert await sender.run_once() == 1
        assert await sender.run_once() == 0
        assert sent_to(rig, dara) == ["nudge a", "nudge b"]
        assert [item for _, item, _ in await rig.people.delivered_at(key)] == ["item-a", "item-b"]
        assert await rig.statuses() == {"sent": 2}


async def test_restart_never_resends_a_confirmed_message(db_url: str, vault: Vault) -> None:
    async with rig_on(db_url, vault) as rig:
        dara, key = await rig.person()
        await rig.queue(key, ["a"])
        await rig.sender().run_once()
        await rig.engine.dispose()  # the process restarts: new pool, new sender
        await rig.queue(key, ["a", "b"])
        fresh = rig.sender()
        assert await fresh.run_once() == 1
        assert sent_to(rig, dara) == ["nudge a", "nudge b"]


async def test_rows_claimed_by_a_crashed_sender_are_sent_after_restart(
        db_url: str, vault: Vault) -> None:
    async with rig_on(db_url, vault) as rig:
        dara, key = await rig.person()
        await rig.queue(key, ["a"])
        assert len(await rig.outbox.claim(rig.time(), 10)) == 1  # then the process dies
        rig.time.advance(60)
        assert await rig.sender(exclusive=False).run_once() == 0, "still leased"
        rig.time.advance(120)
        assert await rig.sender(exclusive=False).run_once() == 1, "lease over: claimed again"
        assert sent_to(rig, dara) == ["nudge a"]


async def test_a_batch_records_its_sends_as_they_go(db_url: str, vault: Vault) -> None:
    """Killed mid-batch, a sender would repeat only the last moment's sends (Telegram has no
    idempotency key), not everything the batch had sent so far."""
    async with rig_on(db_url, vault) as rig:
        for _ in range(80):
            _, key = await rig.person()
            await rig.queue(key, ["a"])
        # Real pacing: 80 sends at 30 a second take over 2.5 s.
        sender = rig.sender(batch=80, sleep=asyncio.sleep, monotonic=time.monotonic)
        batch = asyncio.create_task(sender.run_once())
        while len(rig.emu.calls("sendMessage")) < 20:
            await asyncio.sleep(0.01)
        while (await rig.statuses()).get("sent", 0) < 15:
            assert not batch.done(), "nothing was recorded before the batch ended"
            await asyncio.sleep(0.01)
        assert not batch.done(), "recorded while the batch was still going out"
        assert await batch == 80
        assert await rig.statuses() == {"sent": 80}
        assert len(rig.emu.calls("sendMessage")) == 80


async def test_sole_sender_recovers_claimed_rows_at_start(vault: Vault, tmp_path: Any) -> None:
    async with rig_on(f"sqlite+aiosqlite:///{tmp_path / 's.db'}", vault) as rig:
        _, key = await rig.person()
        await rig.queue(key, ["a"])
        await rig.outbox.claim(rig.time(), 10)
        await rig.outbox.recover()
        assert await rig.statuses() == {"pending": 1}


async def test_blocked_person_is_marked_and_their_rows_cancelled(
        db_url: str, vault: Vault) -> None:
    async with rig_on(db_url, vault) as rig:
        dara, key = await rig.person()
        sophea, other = await rig.person()
        await rig.queue(key, ["a", "b", "c"])
        await rig.queue(other, ["a"])
        rig.emu.block(dara)
        await rig.sender().run_once()
        assert await rig.statuses() == {"cancelled": 3, "sent": 1}
        async with rig.engine.connect() as conn:
            query = text("SELECT key FROM people WHERE blocked_at IS NOT NULL")
            blocked = await conn.execute(query)
            assert [row[0] for row in blocked] == [key]
        assert sent_to(rig, sophea) == ["nudge a"]


async def test_429_retry_after_is_honoured(db_url: str, vault: Vault) -> None:
    async with rig_on(db_url, vault, enforce_limits=True) as rig:
        dara, key = await rig.person()
        await rig.queue(key, ["a"])
        rig.emu.limiter.overall.tokens = 0  # Telegram is busy: the next send gets 429
        rig.emu.limiter.overall.stamp = time.monotonic() + 0.5
        sender = rig.sender()
        await sender.run_once()
        assert rig.emu.limit_violations == 1 and await rig.statuses() == {"pending": 1}
        assert await sender.run_once() == 0, "waits for retry_after before trying again"
        rig.emu.limiter.overall.tokens, rig.emu.limiter.overall.stamp = 30, time.monotonic()
        rig.time.advance(2)
        assert await sender.run_once() == 1
        assert sent_to(rig, dara) == ["nudge a"] and rig.emu.limit_violations == 1


async def test_server_errors_are_retried_with_growing_backoff(db_url: str, vault: Vault) -> None:
    async with rig_on(db_url, vault) as rig:
        dara, key = await rig.person()
        await rig.queue(key, ["a"])
        failing = _fail_sends(rig.emu, times=2)
        sender = rig.sender()
        await sender.run_once()
        rig.time.advance(1.5)
        assert await sender.run_once() == 0, "first retry waits 2 s"
        rig.time.advance(1)
        await sender.run_once()
        rig.time.advance(3)
        assert await sender.run_once() == 0, "second retry waits 4 s"
        rig.time.advance(2)
        assert await sender.run_once() == 1
        assert failing["left"] == 0 and sent_to(rig, dara) == ["nudge a"]


def _fail_sends(emu: BotApiEmulator, times: int) -> dict[str, int]:
    """Make the emulator answer 502 to the next `times` sendMessage calls."""
    state = {"left": times}
    real = emu.execute

    async def flaky(name: str, params: Any, uploads: Any = None) -> tuple[int, Any]:
        if name.lower() == "sendmessage" and state["left"] > 0:
            state["left"] -= 1
            return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
        return await real(name, params, uploads)

    emu.execute = flaky  # type: ignore[method-assign]
    return state


async def test_quiet_hours_hold_messages_until_morning(db_url: str, vault: Vault) -> None:
    async with rig_on(db_url, vault) as rig:
        rig.time.now = datetime(2026, 12, 1, 22, 30, tzinfo=ZONE).astimezone(UTC)
        _, key = await rig.person()
        await rig.queue(key, ["a"])
        sender = rig.sender()
        assert await sender.run_once() == 0
        rig.time.advance(8 * 3600)  # 06:30: still quiet
        assert await sender.run_once() == 0
        rig.time.advance(1800)
        assert await sender.run_once() == 1


def test_limits_space_messages_per_chat_group_and_overall() -> None:
    fake = FakeTime()
    limits = SendLimits(29.0, fake.monotonic)
    assert [round(limits.reserve(chat), 3) for chat in (7, 8, 9)] == [0.0, 0.034, 0.069]
    assert limits.chat_wait(7) == pytest.approx(1.0), "one a second per private chat"
    fake.mono += 10
    assert limits.reserve(-100) == 0.0
    assert limits.chat_wait(-100) == pytest.approx(3.0), "20 a minute per group"
    limits.pause(5)
    assert limits.reserve(8) == pytest.approx(5.0), "429 holds everything"


def test_quiet_hours_window() -> None:
    quiet = QuietHours(21, 7, ZONE)
    late = datetime(2026, 12, 1, 23, 0, tzinfo=ZONE)
    assert quiet.contains(late) and not quiet.contains(late.replace(hour=7))
    assert quiet.next_allowed(late) == datetime(2026, 12, 2, 7, 0, tzinfo=ZONE)
    assert quiet.next_allowed(late.replace(hour=12)) == late.replace(hour=12)
    assert not QuietHours(0, 0, ZONE).contains(late)


async def test_a_broken_row_fails_alone(db_url: str, vault: Vault) -> None:
    async with rig_on(db_url, vault) as rig:
        dara, key = await rig.person()
        _, other = await rig.person()
        await rig.queue(key, ["a"])
        await rig.outbox.enqueue([NewMessage(other, "test", "x", "not-a-cipher", "en", {},
                                             rig.time())])
        assert await rig.sender().run_once() == 2
        assert await rig.statuses() == {"sent": 1, "failed": 1}
        assert sent_to(rig, dara) == ["nudge a"]


def test_the_relay_may_burst_into_a_group_within_twenty_a_minute() -> None:
    fake = FakeTime()
    limits = SendLimits(29.0, fake.monotonic)
    start = fake.mono
    for _ in range(19):
        assert limits.burst_wait(-100) == 0.0
        fake.mono += max(0.0, limits.reserve_burst(-100))
    assert fake.mono - start < 1.0, "a burst, paced only by the overall 29 a second"
    assert limits.burst_wait(-100) == pytest.approx(60.0 - (fake.mono - start), abs=0.01)
    fake.mono = start + 60.0
    assert limits.burst_wait(-100) == 0.0, "the oldest of the minute has dropped out"
    limits.hold(-100, 7)
    assert limits.burst_wait(-100) == pytest.approx(7.0), "a 429 holds the group"
