"""Webhook intake: handle then acknowledge, each update_id once, across workers.

On the machine's real SQLite, PostgreSQL and Redis, over real HTTP against the emulator.
"""

from __future__ import annotations

import asyncio
import uuid
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from redis.asyncio import Redis

from bot.pipeline.intake import Claim, Intake, RedisIntake, TableIntake
from bot.pipeline.turns import Pulse
from bot.storage import migrate
from bot.storage.database import create_engine, session_factory
from bot.storage.seen_updates import SeenUpdates
from simulator.emulator import BotApiEmulator
from tests.helpers.databases import REDIS_TEST_URL, postgres_database
from tests.helpers.harness import TOKEN
from tests.helpers.webhook import post_update, webhook_worker

LEASE = timedelta(seconds=90)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def _lifecycle(intake: Intake, clock: FakeClock, update_id: int) -> None:
    assert await intake.claim(update_id) is Claim.NEW
    assert await intake.claim(update_id) is Claim.BUSY  # another worker, or a redelivery
    await intake.finish(update_id)
    assert await intake.claim(update_id) is Claim.DONE
    assert await intake.claim(update_id + 1) is Claim.NEW
    await intake.release(update_id + 1)  # handling failed: the next delivery handles it
    assert await intake.claim(update_id + 1) is Claim.NEW


async def test_table_claims_are_leases_a_dead_worker_gives_up(db_url: str) -> None:
    engine = create_engine(db_url)
    await migrate.upgrade(engine)
    clock = FakeClock()
    store = SeenUpdates(session_factory(engine), clock, LEASE)
    intake = TableIntake(store)
    await _lifecycle(intake, clock, 500)
    assert await intake.claim(600) is Claim.NEW
    clock.now += LEASE + timedelta(seconds=1)  # its worker died mid-update
    assert await intake.claim(600) is Claim.NEW
    assert await intake.claim(600) is Claim.BUSY
    clock.now += timedelta(days=2)
    assert await store.purge(timedelta(hours=26)) == 3
    await engine.dispose()


async def test_table_claims_arriving_together_share_a_transaction_not_an_answer(
    db_url: str
) -> None:
    engine = create_engine(db_url)
    await migrate.upgrade(engine)
    intake = TableIntake(SeenUpdates(session_factory(engine), FakeClock(), LEASE))
    assert await intake.claim(799) is Claim.NEW
    await intake.finish(799)  # handled already: its redelivery in the batch is acknowledged
    answers = await asyncio.gather(*(intake.claim(update_id)
                                     for update_id in (800, 801, 800, 799, 802, 800)))
    assert answers == [Claim.NEW, Claim.NEW, Claim.BUSY, Claim.DONE, Claim.NEW, Claim.BUSY]
    await asyncio.gather(intake.finish(800), intake.finish(801))
    answers = await asyncio.gather(*(intake.claim(update_id) for update_id in (800, 801, 802)))
    assert answers == [Claim.DONE, Claim.DONE, Claim.BUSY]
    await engine.dispose()


async def _batch_record(intake: Intake, base: int) -> None:
    """Long polling records a batch at once and asks about a batch at once."""
    assert await intake.done_among([base, base + 1, base + 2]) == set()
    assert await intake.claim(base + 1) is Claim.NEW  # claimed, not finished: not done
    await intake.finish_all([base, base + 1])
    await intake.finish_all([base])  # recording twice is harmless
    assert await intake.done_among([base, base + 1, base + 2]) == {base, base + 1}
    assert await intake.claim(base + 1) is Claim.DONE


async def test_table_records_a_polled_batch_in_one_go(db_url: str) -> None:
    engine = create_engine(db_url)
    await migrate.upgrade(engine)
    intake = TableIntake(SeenUpdates(session_factory(engine), FakeClock(), LEASE))
    await _batch_record(intake, 700)
    await engine.dispose()


async def test_redis_records_a_polled_batch_in_one_go() -> None:
    redis = Redis.from_url(REDIS_TEST_URL)
    base = uuid.uuid4().int % 10**9 * 10
    try:
        await _batch_record(RedisIntake(redis, 1), base)
        assert await redis.ttl(f"sokh:update:1:{base}") > 3600
    finally:
        await redis.delete(*[f"sokh:update:1:{base + n}" for n in range(3)])
        await redis.aclose()


async def test_redis_claims_expire_and_done_is_kept() -> None:
    redis = Redis.from_url(REDIS_TEST_URL)
    base = uuid.uuid4().int % 10**9 * 10
    try:
        intake = RedisIntake(redis, 1, lease=timedelta(milliseconds=300))
        await _lifecycle(intake, FakeClock(), base)
        assert await intake.claim(base + 5) is Claim.NEW
        await asyncio.sleep(0.4)  # the lease ran out: its worker died
        assert await intake.claim(base + 5) is Claim.NEW
        assert await redis.ttl(f"sokh:update:1:{base}") > 3600  # done is remembered a day
    finally:
        await redis.delete(*[f"sokh:update:1:{base + n}" for n in range(6)])
        await redis.aclose()


async def _two_workers_answer_once(url: str, ports: list[int], **overrides: Any) -> None:
    async with BotApiEmulator(token=TOKEN) as emu, AsyncExitStack() as stack:
        hooks = [await stack.enter_async_context(webhook_worker(emu, url, port, **overrides))
                 for port in ports]
        user = emu.add_user(language_code="en")
        chat = emu.private_chat(user)
        update = emu.send_text(user, "/help")  # the emulator delivers it to the webhook
        await emu.wait_for_bot_message(chat, 10)
        await emu.wait_idle()
        async with aiohttp.ClientSession() as http:
            # Telegram redelivers it, to each worker, at once and again later.
            statuses = await asyncio.gather(
                *(post_update(http, hook, update) for hook in hooks * 2))
            statuses += [await post_update(http, hook, update) for hook in hooks]
            fresh = {**update, "update_id": update["update_id"] + 1000}
            both = await asyncio.gather(*(post_update(http, hook, fresh) for hook in hooks))
        await emu.wait_idle()
        replies = [m for m in emu.chat_messages(chat) if m.from_bot]
        assert set(statuses) == {200}
        # The fresh update: one worker handled it (200 after handling), the other found it
        # busy (503: Telegram tries again) or done (200).
        assert sorted(both)[0] == 200 and set(both) <= {200, 503}
        assert len(replies) == 2, [m.text for m in replies]
        assert not emu.errors


@pytest.mark.parametrize("with_redis", [True, False], ids=["redis", "table"])
async def test_two_webhook_workers_on_postgres_handle_an_update_once(
    with_redis: bool, unused_tcp_port_factory: Any
) -> None:
    ports = [unused_tcp_port_factory() for _ in range(2)]
    async with postgres_database() as url:
        await _forget_claims()
        try:
            await _two_workers_answer_once(url, ports,
                                           redis_url=REDIS_TEST_URL if with_redis else None)
        finally:
            await _forget_claims()


async def _forget_claims() -> None:
    """The emulator numbers updates from the same id every run: forget earlier runs' claims."""
    redis = Redis.from_url(REDIS_TEST_URL)
    try:
        bot_id = int(TOKEN.split(":")[0])
        keys = [key async for key in redis.scan_iter(f"sokh:update:{bot_id}:*")]
        if keys:
            await redis.delete(*keys)
    finally:
        await redis.aclose()


async def test_the_answer_waits_for_the_handling(tmp_path: Path, unused_tcp_port: int) -> None:
    async with BotApiEmulator(token=TOKEN) as emu, \
            webhook_worker(emu, f"sqlite+aiosqlite:///{tmp_path / 'w.db'}",
                           unused_tcp_port) as hook:
        user = emu.add_user(language_code="en")
        update = emu.send_text(user, "/help")
        await emu.wait_idle()
        fresh = {**update, "update_id": update["update_id"] + 1}
        async with aiohttp.ClientSession() as http:
            assert await post_update(http, hook, fresh) == 200
        # The reply was sent before the webhook answered: acknowledged means handled.
        replies = [m for m in emu.chat_messages(emu.private_chat(user)) if m.from_bot]
        assert len(replies) == 2


async def test_a_webhook_flood_is_dropped_unparsed_and_others_answered(
    tmp_path: Path, unused_tcp_port: int
) -> None:
    async with BotApiEmulator(token=TOKEN) as emu, \
            webhook_worker(emu, f"sqlite+aiosqlite:///{tmp_path / 'w.db'}", unused_tcp_port,
                    flood_limit=6) as hook:
        flooder, other = emu.add_user(language_code="en"), emu.add_user(language_code="en")
        update = emu.send_text(flooder, "/help")
        await emu.wait_idle()
        async with aiohttp.ClientSession() as http:
            # Ids far from the emulator's own, which the next real update will take.
            statuses = [await post_update(http, hook, {**update, "update_id": 10**6 + n})
                        for n in range(1, 200)]
        assert set(statuses) == {200}
        answer = await asyncio.wait_for(_say(emu, other, "/help"), 5)
        assert "1280" in answer
        replies = [m for m in emu.chat_messages(emu.private_chat(flooder)) if m.from_bot]
        assert len(replies) <= 8  # the limit, the one told, nothing for the rest


async def _say(emu: BotApiEmulator, user: Any, text: str) -> str:
    waiting = emu.wait_for_bot_message(emu.private_chat(user), 5)
    emu.send_text(user, text)
    return (await waiting).text or ""


async def test_a_claim_of_a_worker_without_a_pulse_is_taken_over_at_once() -> None:
    redis = Redis.from_url(REDIS_TEST_URL)
    base = uuid.uuid4().int % 10**9 * 10
    alive, killed = Pulse(redis), Pulse(redis)
    try:
        for pulse in (alive, killed):
            await pulse.beat()
        mine, theirs = RedisIntake(redis, 1, pulse=alive), RedisIntake(redis, 1, pulse=killed)
        assert await theirs.claim(base) is Claim.NEW
        assert await mine.claim(base) is Claim.BUSY  # its worker is alive: it is on it
        await redis.delete(killed.key)  # kill -9: the pulse runs out
        assert await mine.claim(base) is Claim.AGAIN  # not after the 90 s lease: now
        assert await theirs.claim(base) is Claim.BUSY
        await mine.finish(base)
        assert await theirs.claim(base) is Claim.DONE
    finally:
        await redis.delete(f"sokh:update:1:{base}")
        await alive.stop()
        await redis.aclose()
