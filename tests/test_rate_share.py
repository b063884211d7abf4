"""Telegram's overall rate split among live senders, on the machine's real Redis."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from redis.asyncio import Redis

from bot.proactive.limits import OVERALL_PER_S, SendLimits
from bot.proactive.rate_share import RateShare
from tests.helpers.databases import REDIS_TEST_URL


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
