"""Roles and the one scheduler: on the machine's real Redis and PostgreSQL, and the emulator."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import asyncpg
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from redis.asyncio import Redis

from bot.proactive.leader import AdvisoryLock, Leader, RedisLock
from bot.runtime.cli import _parser
from bot.runtime.settings import Settings
from bot.storage.database import create_engine
from simulator.emulator import BotApiEmulator
from tests.helpers.databases import POSTGRES_ADMIN_DSN, REDIS_TEST_URL, postgres_database
from tests.helpers.harness import TOKEN, serving


async def test_one_redis_lock_holder_and_a_takeover_when_it_dies() -> None:
    redis = Redis.from_url(REDIS_TEST_URL)
    name = f"sokh:test-lock:{uuid.uuid4().hex}"
    try:
        first, second = (RedisLock(redis, lease_s=0.3, name=name) for _ in range(2))
        assert await first.hold() and await first.hold()  # renewing
        assert not await second.hold()
        await asyncio.sleep(0.45)  # `first` died: it stopped renewing
        assert await second.hold()
        assert not await first.hold()
        await second.release()
        assert await first.hold()
    finally:
        await redis.delete(name)
        await redis.aclose()


async def test_one_postgres_advisory_lock_holder_until_its_connection_goes() -> None:
    async with postgres_database() as url:
        engines = [create_engine(url) for _ in range(2)]
        first, second = (AdvisoryLock(engine, key=424242) for engine in engines)
        assert await first.hold() and await first.hold()
        assert not await second.hold()
        await first.release()
        assert await second.hold()
        # The holder's process died: PostgreSQL ends its session, and with it the lock.
        admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
        await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_locks "
                            "WHERE locktype = 'advisory' AND objid = 424242")
        await admin.close()
        assert await first.hold()
        assert not await second.hold()  # it notices its session is gone
        await first.release()
        for engine in engines:
            await engine.dispose()


async def test_only_the_leader_runs_the_jobs() -> None:
    redis = Redis.from_url(REDIS_TEST_URL)
    name = f"sokh:test-lock:{uuid.uuid4().hex}"
    runs: list[int] = []
    leaders = []
    for n in range(3):
        scheduler = AsyncIOScheduler()
        scheduler.add_job(runs.append, "interval", seconds=0.05, args=[n])
        leaders.append(Leader(scheduler, RedisLock(redis, lease_s=1.0, name=name), renew_s=0.1))
    try:
        for leader in leaders:
            leader.start()
        await asyncio.sleep(0.5)
        assert sum(leader.leading for leader in leaders) == 1
        assert runs and len(set(runs)) == 1
        first = runs[0]
        await leaders[first].stop()  # gives the lock up: another takes over
        runs.clear()
        await asyncio.sleep(0.5)
        assert runs and first not in runs and len(set(runs)) == 1
    finally:
        for n, leader in enumerate(leaders):
            if n != first:
                await leader.stop()
        await redis.aclose()


def test_the_command_line_role_overrides_the_default() -> None:
    assert _parser().parse_args(["--role", "web"]).role == "web"
    assert Settings(role="scheduler").runs("scheduler")
    assert not Settings(role="web").runs("sender")
    assert not Settings(role="all", outbox_sender=False).runs("sender")
    assert all(Settings().runs(part) for part in ("web", "scheduler", "sender"))


async def test_a_sender_process_takes_no_updates(tmp_path: Path) -> None:
    async with BotApiEmulator(token=TOKEN) as emu, \
            serving(emu, f"sqlite+aiosqlite:///{tmp_path / 's.db'}", role="sender") as sokh:
        emu.send_text(emu.add_user(language_code="en"), "/help")
        await asyncio.sleep(0.5)
        assert not emu.calls("getUpdates") and not emu.calls("sendMessage")
        assert sokh.app.proactive._tasks  # its senders run
