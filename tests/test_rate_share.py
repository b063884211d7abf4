"""Telegram's limits shared by sender processes, on the machine's real Redis: the overall rate
split among live senders, and each chat's limit held by all of them together (against the
emulator's own rate limits)."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from aiogram import Bot
from redis.asyncio import Redis

from bot.proactive.limits import GROUP_BURST, OVERALL_PER_S, SendLimits
from bot.proactive.rate_share import ChatShare, RateShare, shared_chat_wait
from bot.storage.vault import Vault
from simulator.emulator import BotApiEmulator
from tests.helpers.databases import REDIS_TEST_URL, forget_redis_keys
from tests.helpers.emulator_client import bot_for
from tests.helpers.harness import TOKEN


async def test_senders_share_the_rate_and_take_back_a_dead_ones_share() -> None:
    redis = Redis.from_url(REDIS_TEST_URL)
    name = f"sokh:test-senders:{uuid.uuid4().hex}"
    limits = [SendLimits() for _ in range(3)]
    shares = [RateShare(redis, lim, beat_s=0.05, ttl_s=0.3, name=name) for lim in limits]
    stops = [asyncio.Event() for _ in shares]
    tasks = [asyncio.create_task(s.run(stop)) for s, stop in zip(shares, stops, strict=True)]
    try:
        await asyncio.sleep(0.2)
        # Three senders: each takes a third of the rate, together 29 a second.
        assert [s.senders for s in shares] == [3, 3, 3]
        assert sum(1 / lim.overall.interval for lim in limits) == pytest.approx(OVERALL_PER_S)
        tasks[0].cancel()  # killed: it never leaves the set, its beats just stop
        await asyncio.sleep(0.5)
        assert [s.senders for s in shares[1:]] == [2, 2]
        stops[1].set()  # stopped cleanly: leaves at once
        await tasks[1]
        await asyncio.sleep(0.15)
        assert shares[2].senders == 1
        assert limits[2].overall.interval == pytest.approx(1 / OVERALL_PER_S)
    finally:
        for stop in stops:
            stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        await redis.delete(name)
        await redis.aclose()


async def test_an_unreachable_redis_keeps_the_last_share() -> None:
    redis = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    limits = SendLimits()
    limits.overall.interval = 2 / OVERALL_PER_S
    await RateShare(redis, limits).beat()
    assert limits.overall.interval == pytest.approx(2 / OVERALL_PER_S)
    await redis.aclose()


async def _send_for(bot: Bot, chats: ChatShare | None, chat_id: int, seconds: float) -> int:
    """One sender writing to one chat as fast as its limits (and the shared ones) allow."""
    limits, sent = SendLimits(monotonic=time.monotonic), 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        busy = await shared_chat_wait(chats, limits, chat_id)
        local = limits.burst_wait(chat_id)
        if busy > 0 or local > 0:
            await asyncio.sleep(min(max(busy, local), deadline - time.monotonic() + 0.01))
            continue
        await asyncio.sleep(max(0.0, limits.reserve_burst(chat_id)))
        await bot.send_message(chat_id, f"message {sent}")
        sent += 1
    return sent


@pytest.mark.parametrize("shared", [True, False], ids=["shared", "each-its-own"])
async def test_two_senders_keep_telegrams_per_chat_limits_together(
    vault: Vault, shared: bool
) -> None:
    redis = Redis.from_url(REDIS_TEST_URL)
    async with BotApiEmulator(token=TOKEN, enforce_limits=True) as emu:
        person = emu.add_user(language_code="en")
        emu.send_text(person, "/start")
        group = emu.add_group("Parents", members=[person], admins=[person])
        bots = [bot_for(emu) for _ in range(2)]
        chats = ChatShare(redis, vault) if shared else None
        try:
            runs = [_send_for(bot, chats, chat, 3.5) for bot in bots
                    for chat in (group.id, person.id)]
            results = await asyncio.gather(*runs, return_exceptions=True)
        finally:
            for bot in bots:
                await bot.session.close()
            await forget_redis_keys("sokh:chat-slot:*")
            await redis.aclose()
    if not shared:  # the check can fail: each alone within limits, together over them
        assert emu.limit_violations > 0
        return
    assert emu.limit_violations == 0, results
    counts = [r for r in results if isinstance(r, int)]
    assert len(counts) == len(results), results
    to_group, to_person = counts[0::2], counts[1::2]
    assert sum(to_group) == GROUP_BURST  # 20 a minute, one kept for direct answers
    assert 3 <= sum(to_person) <= 5  # one a second between the two, over 3.5 s
