"""Per-person turns: one person's updates one at a time, in order, across workers; the crisis
reply never waits for a turn or for a hung Redis.

On the machine's real PostgreSQL and Redis, over real HTTP against the emulator.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiogram.fsm.storage.base import StorageKey
from redis.asyncio import Redis

from bot.pipeline.turns import PersonTurns, Pulse
from bot.storage.vault import Vault
from simulator.emulator import BotApiEmulator
from simulator.faults import Fault
from tests.helpers.databases import REDIS_TEST_URL, forget_redis_keys, postgres_database
from tests.helpers.faulty_proxy import faulty_proxy
from tests.helpers.harness import TOKEN, running_bot
from tests.helpers.webhook import post_update, webhook_worker

BOT_ID = int(TOKEN.split(":")[0])
CLAIMS = (f"sokh:update:{BOT_ID}:*", "sokh:turn*")


async def test_turns_follow_update_ids_across_workers_and_skip_a_dead_one(vault: Vault) -> None:
    redis = Redis.from_url(REDIS_TEST_URL)
    pulses = [Pulse(redis) for _ in range(3)]
    for pulse in pulses:
        await pulse.beat()
    workers = [PersonTurns(vault, redis, pulse) for pulse in pulses]
    key = StorageKey(bot_id=BOT_ID, chat_id=uuid.uuid4().int % 10**9,
                     user_id=uuid.uuid4().int % 10**9)
    order: list[int] = []

    async def step(worker: PersonTurns, update_id: int, hold: float) -> None:
        async with worker.turn(key, update_id):
            order.append(update_id)
            await asyncio.sleep(hold)

    try:
        # 1 starts; 3, 2 and 4 arrive while it runs, at three workers, 3 before 2.
        first = asyncio.create_task(step(workers[0], 1, 0.3))
        await asyncio.sleep(0.05)
        later = [asyncio.create_task(step(workers[1], 3, 0.01))]
        await asyncio.sleep(0.05)
        later += [asyncio.create_task(step(workers[0], 2, 0.01)),
                  asyncio.create_task(step(workers[2], 4, 0.01))]
        await asyncio.wait_for(asyncio.gather(first, *later), 10)
        assert order == [1, 2, 3, 4]

        # A worker killed holding a turn (its pulse gone) holds no one up.
        dead = Pulse(redis)
        await dead.beat()
        held = PersonTurns(vault, redis, dead).turn(key, 10)
        await held.__aenter__()  # never left: the worker died inside
        await redis.delete(dead.key)
        started = time.monotonic()
        await asyncio.wait_for(step(workers[1], 11, 0), 5)
        assert time.monotonic() - started < 1
    finally:
        await forget_redis_keys("sokh:turn*")
        for pulse in pulses:
            await pulse.stop()
        await redis.aclose()


async def test_a_persons_steps_at_two_webhook_workers_are_answered_in_order(
    unused_tcp_port_factory: Any
) -> None:
    ports = [unused_tcp_port_factory() for _ in range(2)]
    await forget_redis_keys(*CLAIMS)
    async with postgres_database() as url, BotApiEmulator(token=TOKEN) as emu, \
            AsyncExitStack() as stack:
        hooks = [await stack.enter_async_context(
            webhook_worker(emu, url, port, redis_url=REDIS_TEST_URL)) for port in ports]
        user = emu.add_user(language_code="en")
        chat = emu.private_chat(user)
        waiting = emu.wait_for_bot_message(chat, 10)
        emu.send_text(user, "/start")
        await waiting
        await emu.wait_idle()
        emu.queue.set_webhook(None, drop_pending=False)  # the test delivers from now on
        release = asyncio.Event()
        emu.faults.arm("sendMessage", Fault.slow(release))  # the first step's reply is slow
        first, second = emu.send_text(user, "/help"), emu.send_text(user, "/menu")
        before = len(emu.chat_messages(chat))
        async with aiohttp.ClientSession() as http:
            # As a second connection of Telegram's, or a redelivery through another worker.
            posts = [asyncio.create_task(post_update(http, hooks[0], first))]
            await asyncio.sleep(0.3)
            posts.append(asyncio.create_task(post_update(http, hooks[1], second)))
            await asyncio.sleep(0.7)
            release.set()
            assert await asyncio.gather(*posts) == [200, 200]
        replies = [m for m in emu.chat_messages(chat)[before:] if m.from_bot]
        assert "1280" in (replies[0].text or ""), [m.text for m in replies]
        assert all("1280" not in (m.text or "") for m in replies[1:]), [m.text for m in replies]
        assert not emu.errors
    await forget_redis_keys(*CLAIMS)


async def test_the_crisis_reply_waits_neither_for_a_turn_nor_for_a_hung_redis(
    tmp_path: Path
) -> None:
    await forget_redis_keys(*CLAIMS)
    target = urlsplit(REDIS_TEST_URL)
    async with faulty_proxy(target.hostname or "127.0.0.1", target.port or 6379) as proxy:
        redis_url = f"redis://127.0.0.1:{proxy.port}{target.path}"
        async with running_bot(f"sqlite+aiosqlite:///{tmp_path / 't.db'}",
                               redis_url=redis_url) as sokh:
            dara = sokh.emu.add_user(language_code="en")
            await sokh.say(dara, "/start")
            chat = sokh.emu.private_chat(dara)
            # Her /help is slow to answer; she writes risk words meanwhile.
            release = asyncio.Event()
            sokh.emu.faults.arm("sendMessage", Fault.slow(release))
            sokh.emu.send_text(dara, "/help")
            await asyncio.sleep(0.5)  # its reply is on the way, held by Telegram
            started = time.monotonic()
            crisis = await sokh.say(dara, "my stepfather hurts me every night")
            assert "1280" in (crisis.text or "") and time.monotonic() - started < 1.5
            release.set()
            await sokh.emu.wait_idle()
            # Redis stops answering: the crisis reply still comes at once.
            await proxy.blackhole()
            started = time.monotonic()
            crisis = await sokh.say(dara, "my stepfather hurts me every night")
            waited = time.monotonic() - started
            assert "1280" in (crisis.text or "") and "117" in (crisis.text or "")
            assert waited < 1.0, waited
            await proxy.restore()
            assert chat is not None
        assert not sokh.emu.errors
    await forget_redis_keys(*CLAIMS)
