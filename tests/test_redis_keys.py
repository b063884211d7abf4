"""Redis keeps nothing about a person forever, and /forget erases it (issue 15, real Redis).

FSM keys (conversation state) expire FSM_TTL after last use and are renewed by use; keys
written before they expired get the TTL at start; /forget deletes the person's FSM keys in
every chat (groups too) and their flood counters, and nobody else's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bot.pipeline.fsm_keys import FSM_TTL
from bot.storage.vault import Vault
from simulator.state import SimUser
from tests.helpers.databases import REDIS_TEST_URL
from tests.helpers.harness import TEST_SALT, TEST_SECRET, Harness, running_bot

DAY_S = 86_400


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    """This session's own Redis database, emptied before and after."""
    client = Redis.from_url(REDIS_TEST_URL)
    await client.flushdb()
    try:
        yield client
    finally:
        await client.flushdb()
        await client.aclose()


async def fsm_keys(redis: Redis) -> dict[bytes, int]:
    """Every FSM key (and per-person index) with its TTL in seconds."""
    return {name: int(await redis.ttl(name)) async for name in redis.scan_iter(match="sokh:fsm*")}


async def pick_destination(sokh: Harness, user: SimUser) -> None:
    """Menu → Travel countdown → a destination: the bot now waits for a date (FSM state)."""
    where = await sokh.tap(user, await sokh.say(user, "/menu"), "✈️ Travel countdown")
    asked = await sokh.tap(user, where, "Working in Thailand")
    assert "When do you travel?" in (asked.text or "")


async def test_fsm_keys_expire_and_use_renews_them(tmp_path: Path, redis: Redis) -> None:
    await redis.set("sokh:fsm:written-before-ttls", "x")  # as an older release left them
    url = f"sqlite+aiosqlite:///{tmp_path / 'r.db'}"
    async with running_bot(url, redis_url=REDIS_TEST_URL) as sokh:
        assert 0 < await redis.ttl("sokh:fsm:written-before-ttls") <= FSM_TTL.total_seconds()
        dara = sokh.emu.add_user(language_code="en")
        await pick_destination(sokh, dara)
        await sokh.settle()
        keys = await fsm_keys(redis)
        assert len(keys) >= 3, keys  # the old one, Dara's state and her index
        assert all(FSM_TTL.total_seconds() - 60 < ttl <= FSM_TTL.total_seconds()
                   for ttl in keys.values()), keys
        for name in keys:
            await redis.expire(name, DAY_S)
        await sokh.say(dara, "some day soon")  # not a date: still asked, state kept
        await sokh.settle()
        renewed = {n: ttl for n, ttl in (await fsm_keys(redis)).items()
                   if n != b"sokh:fsm:written-before-ttls"}
        assert renewed and all(ttl > 29 * DAY_S for ttl in renewed.values()), renewed


async def test_forget_erases_the_persons_redis_keys_in_every_chat(tmp_path: Path,
                                                                   redis: Redis) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'r.db'}"
    # A long flood window: counters then outlive the test unless /forget deletes them.
    async with running_bot(url, redis_url=REDIS_TEST_URL, flood_window_s=60) as sokh:
        emu, vault = sokh.emu, Vault(TEST_SECRET.encode(), TEST_SALT.encode())
        sophea = emu.add_user("Sophea", "sophea", language_code="en")
        dara = emu.add_user("Dara", "dara", language_code="en")
        group = emu.add_group("Parents of Kampong Speu", admins=[sophea], members=[dara],
                              bot_admin=False)
        asked = await sokh.act(group, lambda: emu.send_text(sophea, "/session", chat=group))
        assert "What is it called?" in (asked.text or ""), "a form open in the group"
        await pick_destination(sokh, sophea)
        await pick_destination(sokh, dara)
        await sokh.settle()
        before = set(await fsm_keys(redis))
        sophea_flood = f"sokh:flood:{vault.person_key(sophea.id)}:*"
        assert [n async for n in redis.scan_iter(match=sophea_flood)], "counted while active"
        confirm = await sokh.say(sophea, "/forget")
        await sokh.tap(sophea, confirm, "Yes, erase")
        await sokh.settle()
        after = set(await fsm_keys(redis))
        assert [n async for n in redis.scan_iter(match=sophea_flood)] == []
        gone = before - after
        assert len(gone) >= 4, (before, after)  # two states, a data key and her index
        await sokh.say(dara, "some day soon")  # Dara's form still waits for her date
        await sokh.settle()
        assert after - {n for n in after if n.startswith(b"sokh:fsm")} == set()
        assert after and after <= set(await fsm_keys(redis)), "Dara's keys were left alone"
