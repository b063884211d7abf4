"""Webhook intake: handle, then acknowledge, and never handle one update_id twice.

Telegram redelivers an update until a worker answers 2xx. Answering only after handling
means a worker killed mid-update loses nothing: Telegram sends it again. Several workers
behind one URL, and redeliveries after a timeout, make duplicates possible, so each update
id is claimed first: in Redis (SET NX with expiry) when configured, else in the database.
A claim is a lease: if its worker dies, the lease runs out and the next delivery is handled.
In Redis a claim also names its worker's pulse (bot/pipeline/turns.py): a delivery finding the
claim of a worker without a pulse (killed) takes it over at once rather than after the lease.
A delivery that finds the update still being handled elsewhere is answered 503, so
Telegram tries again later rather than the update being lost.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import timedelta
from enum import Enum
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from bot.pipeline.turns import Pulse
from bot.storage.seen_updates import SeenUpdates

__all__ = ["KEEP", "LEASE", "Claim", "Intake", "RedisIntake", "TableIntake"]

log = logging.getLogger(__name__)
# Longer than any update takes (aiogram answers the webhook after 55 s at most).
LEASE = timedelta(seconds=90)
# Telegram retries a failed delivery for about a day at most.
KEEP = timedelta(hours=26)


class Claim(Enum):
    """What a worker may do with a delivered update."""

    NEW = "new"  # handle it
    AGAIN = "again"  # handle it: its worker died on it (replay what that one sent)
    DONE = "done"  # already handled: acknowledge
    BUSY = "busy"  # another worker is on it: ask Telegram to retry


class Intake(Protocol):
    async def claim(self, update_id: int) -> Claim:
        """Claim an update for this worker."""

    async def finish(self, update_id: int) -> None:
        """The update was handled."""

    async def release(self, update_id: int) -> None:
        """Handling failed: let the next delivery try again."""

    async def done_among(self, update_ids: Collection[int]) -> set[int]:
        """Which of these a previous run handled (long polling: one process, no claims)."""

    async def finish_all(self, update_ids: Collection[int]) -> None:
        """These updates were handled (long polling records a batch at a time)."""


# KEYS: the claim. ARGV: "busy:<token>", lease ms, pulse prefix. New, done, or busy; a busy
# claim whose worker has no pulse left is taken over.
_CLAIM = """
local held = redis.call('GET', KEYS[1])
if held == 'done' then return 'done' end
if held then
  local owner = string.sub(held, 6)
  if owner == '' or redis.call('EXISTS', ARGV[3] .. owner) == 1 then return 'busy' end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if held then return 'again' end
return 'new'
"""


class RedisIntake:
    """Claims as Redis keys, shared by every worker; no key holds anything personal."""

    def __init__(self, redis: Redis, bot_id: int, lease: timedelta = LEASE,
                 keep: timedelta = KEEP, pulse: Pulse | None = None) -> None:
        self._redis, self._lease, self._keep = redis, lease, keep
        # Update ids are unique per bot only: one Redis may serve several bots.
        self._prefix = f"sokh:update:{bot_id}:"
        self._busy = f"busy:{pulse.token if pulse else ''}".encode()
        self._claim = redis.register_script(_CLAIM)

    async def claim(self, update_id: int) -> Claim:
        """One script: an existing key says done or busy, unless its worker is gone."""
        try:
            state = await self._claim(keys=[self._key(update_id)],
                                      args=[self._busy, _ms(self._lease), Pulse.PREFIX])
        except (RedisError, OSError):
            # Better twice than never: the outbox keeps proactive sends idempotent.
            log.warning("intake: Redis unreachable; handling without the duplicate check")
            return Claim.NEW
        return Claim(state.decode() if isinstance(state, bytes) else str(state))

    async def finish(self, update_id: int) -> None:
        """Keep the id as done for as long as Telegram might redeliver it."""
        try:
            await self._redis.set(self._key(update_id), b"done", px=_ms(self._keep))
        except (RedisError, OSError):
            log.warning("intake: Redis unreachable; could not mark an update done")

    async def done_among(self, update_ids: Collection[int]) -> set[int]:
        """One MGET for a polled batch; unreachable Redis answers none (better twice)."""
        ids = sorted(set(update_ids))
        try:
            states = await self._redis.mget([self._key(update_id) for update_id in ids])
        except (RedisError, OSError):
            log.warning("intake: Redis unreachable; handling without the duplicate check")
            return set()
        return {update_id for update_id, state in zip(ids, states, strict=True)
                if state == b"done"}

    async def finish_all(self, update_ids: Collection[int]) -> None:
        """One pipeline of SETs for a polled batch."""
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for update_id in update_ids:
                    pipe.set(self._key(update_id), b"done", px=_ms(self._keep))
                await pipe.execute()
        except (RedisError, OSError):
            log.warning("intake: Redis unreachable; could not mark updates done")

    def _key(self, update_id: int) -> str:
        return f"{self._prefix}{update_id}"

    async def release(self, update_id: int) -> None:
        """Delete the claim."""
        try:
            await self._redis.delete(self._key(update_id))
        except (RedisError, OSError):
            log.warning("intake: Redis unreachable; the claim runs out by itself")


class TableIntake:
    """Claims as rows of seen_updates, for a deployment without Redis."""

    def __init__(self, store: SeenUpdates) -> None:
        self._store = store

    async def claim(self, update_id: int) -> Claim:
        """A row per update id; a database fault handles the update rather than lose it."""
        try:
            return Claim(await self._store.claim(update_id))
        except (SQLAlchemyError, OSError):
            log.warning("intake: database unreachable; handling without the duplicate check")
            return Claim.NEW

    async def finish(self, update_id: int) -> None:
        """Mark the row done."""
        try:
            await self._store.finish(update_id)
        except (SQLAlchemyError, OSError):
            log.warning("intake: database unreachable; could not mark an update done")

    async def release(self, update_id: int) -> None:
        """Delete the row."""
        try:
            await self._store.release(update_id)
        except (SQLAlchemyError, OSError):
            log.warning("intake: database unreachable; the claim runs out by itself")

    async def done_among(self, update_ids: Collection[int]) -> set[int]:
        """One query for a polled batch; an unreachable database answers none (better twice)."""
        try:
            return await self._store.done_among(update_ids)
        except (SQLAlchemyError, OSError):
            log.warning("intake: database unreachable; handling without the duplicate check")
            return set()

    async def finish_all(self, update_ids: Collection[int]) -> None:
        """One statement for a polled batch."""
        try:
            await self._store.finish_all(update_ids)
        except (SQLAlchemyError, OSError):
            log.warning("intake: database unreachable; could not mark updates done")


def _ms(span: timedelta) -> int:
    return int(span.total_seconds() * 1000)
