"""Exactly one scheduler among several processes: a lock, held while alive, taken over after.

The periodic jobs (due nudges into the outbox, reminders, clean-ups) must run in one process:
two would do the work twice. Every process of role `scheduler` or `all` starts its scheduler
paused and runs it only while it holds the lock:

- with Redis: a key set with NX and an expiry, renewed well before it runs out; a process
  that dies stops renewing and another takes over within the expiry;
- on PostgreSQL without Redis: a session advisory lock on a connection kept open; the
  database frees it when the connection (the process) dies;
- on SQLite (one process by design): always held.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from contextlib import suppress
from typing import Protocol

from apscheduler.schedulers.base import BaseScheduler
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

__all__ = ["AdvisoryLock", "Leader", "Lock", "RedisLock", "SoleLock", "lock_for"]

log = logging.getLogger(__name__)
LOCK_NAME = "sokh:scheduler"
LEASE_S = 30.0
RENEW_S = 10.0
# pg_try_advisory_lock takes a bigint; any constant the deployment does not use elsewhere.
ADVISORY_KEY = 0x50_6B_68_53  # "SokP"


class Lock(Protocol):
    async def hold(self) -> bool:
        """Take or renew the lock; True while this process holds it."""

    async def release(self) -> None:
        """Let another process take it now."""


class SoleLock:
    """One process by design (SQLite): the lock is always this process's."""

    async def hold(self) -> bool:
        """Always held."""
        return True

    async def release(self) -> None:
        """Nothing to release."""


class RedisLock:
    """A key with this process's token and an expiry, renewed while the process lives."""

    _RENEW = ("if redis.call('get', KEYS[1]) == ARGV[1] then "
              "return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end")
    _RELEASE = ("if redis.call('get', KEYS[1]) == ARGV[1] then "
                "return redis.call('del', KEYS[1]) else return 0 end")

    def __init__(self, redis: Redis, lease_s: float = LEASE_S, name: str = LOCK_NAME) -> None:
        self._redis, self._lease_ms, self._name = redis, int(lease_s * 1000), name
        self._token = uuid.uuid4().hex

    async def hold(self) -> bool:
        """Renew the key if it is ours, else try to set it; Redis down means not held."""
        try:
            renewed = await self._redis.eval(self._RENEW, 1, self._name, self._token,
                                             self._lease_ms)
            if renewed:
                return True
            taken = await self._redis.set(self._name, self._token, nx=True, px=self._lease_ms)
            return bool(taken)
        except (RedisError, OSError):
            return False

    async def release(self) -> None:
        """Delete the key if it is still ours."""
        with suppress(RedisError, OSError):
            await self._redis.eval(self._RELEASE, 1, self._name, self._token)


class AdvisoryLock:
    """A PostgreSQL session advisory lock on a connection this process keeps open."""

    def __init__(self, engine: AsyncEngine, key: int = ADVISORY_KEY) -> None:
        self._engine, self._key = engine, key
        self._connection: AsyncConnection | None = None

    async def hold(self) -> bool:
        """Check the held connection still lives, or try to take the lock on a new one."""
        try:
            if self._connection is not None:
                await self._connection.execute(text("SELECT 1"))
                return True
            connection = await self._engine.connect()
            query = text("SELECT pg_try_advisory_lock(:key)")
            if (await connection.execute(query, {"key": self._key})).scalar_one():
                self._connection = connection
                return True
            await connection.close()
        except (SQLAlchemyError, OSError):
            await self._drop(unlock=False)
        return False

    async def release(self) -> None:
        """Unlock, and hand the connection back to the pool."""
        await self._drop(unlock=True)

    async def _drop(self, unlock: bool) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            if unlock:
                await connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                                         {"key": self._key})
                await connection.close()
                return
        except (SQLAlchemyError, OSError):
            pass
        # A broken connection must not go back to the pool still holding the lock.
        with suppress(SQLAlchemyError, OSError):
            await connection.invalidate()
            await connection.close()


def lock_for(engine: AsyncEngine, redis: Redis | None) -> Lock:
    """Redis when configured, else the database's own lock, else (SQLite) none needed."""
    if redis is not None:
        return RedisLock(redis)
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine)
    return SoleLock()


class Leader:
    """Runs the scheduler while this process holds the lock, pauses it when it does not."""

    def __init__(self, scheduler: BaseScheduler, lock: Lock, renew_s: float = RENEW_S) -> None:
        self._scheduler, self._lock, self._renew_s = scheduler, lock, renew_s
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.leading = False

    def start(self) -> None:
        """Start the scheduler paused, and the task that takes and keeps the lock."""
        self._scheduler.start(paused=True)
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Stop the scheduler and give the lock up for another process."""
        self._stop.set()
        if self._task is not None:
            await self._task
        self._scheduler.shutdown(wait=False)
        await self._lock.release()

    async def _run(self) -> None:
        while not self._stop.is_set():
            self._follow(await self._lock.hold())
            with suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self._renew_s)

    def _follow(self, held: bool) -> None:
        if held and not self.leading:
            log.info("scheduler: this process runs the periodic jobs")
            self._scheduler.resume()
        elif not held and self.leading:
            log.warning("scheduler: lock lost; pausing the periodic jobs here")
            self._scheduler.pause()
        self.leading = held
