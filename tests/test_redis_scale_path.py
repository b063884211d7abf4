"""The scale path on the machine's real Redis: shared flood limits and FSM keys without ids."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.redis import RedisStorage
from redis.asyncio import Redis

from bot.pipeline.fsm_keys import PseudonymousKeyBuilder
from bot.pipeline.throttle import MemoryLimiter, RedisLimiter
from bot.storage.vault import Vault
from tests.helpers.databases import REDIS_TEST_URL

USER_ID = 555000111


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    """A connection to the real Redis; keys made by a test are removed after it."""
    client = Redis.from_url(REDIS_TEST_URL)
    await client.ping()
    before = set(await client.keys("sokh:*"))
    yield client
    created = set(await client.keys("sokh:*")) - before
    if created:
        await client.delete(*created)
    await client.aclose()


async def test_redis_limiter_is_shared_between_processes(redis: Redis) -> None:
    key = f"person-{uuid.uuid4().hex}"
    first, second = RedisLimiter(redis, 30.0), RedisLimiter(redis, 30.0)
    counts = [await first.count(key), await second.count(key), await first.count(key)]
    assert counts == [1, 2, 3]
    assert await first.count("someone-else") == 1


async def test_memory_limiter_forgets_after_the_window() -> None:
    limiter = MemoryLimiter(window_s=0.05)
    assert [await limiter.count("k") for _ in range(3)] == [1, 2, 3]
    await asyncio.sleep(0.06)
    assert await limiter.count("k") == 1


async def test_fsm_state_in_redis_is_keyed_without_telegram_ids(
    redis: Redis, vault: Vault
) -> None:
    storage = RedisStorage(redis, key_builder=PseudonymousKeyBuilder(vault))
    key = StorageKey(bot_id=42, chat_id=USER_ID, user_id=USER_ID)
    await storage.set_state(key, "Onboarding:language")
    await storage.set_data(key, {"step": 1})
    assert await storage.get_state(key) == "Onboarding:language"
    assert await storage.get_data(key) == {"step": 1}
    keys = [k.decode() for k in await redis.keys("sokh:fsm:*")]
    assert keys and not any(str(USER_ID) in k for k in keys)
    await storage.set_state(key, None)
    await storage.set_data(key, {})
