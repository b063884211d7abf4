"""Telegram's overall sending rate shared by every sender process, through Redis.

Each sender reserves slots in its own SendLimits; with N senders that was N × 30 messages a
second, and Telegram answers the excess with 429. Each sender now says it is alive in a Redis
sorted set every few seconds and counts the live ones; its overall slot interval becomes
N / rate, so together they keep to the rate. A sender that dies drops out after `ttl_s` and
the others speed up again. Per-chat limits stay per process (a chat's rows are claimed in
order, mostly by one sender).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from contextlib import suppress

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.proactive.limits import SendLimits

__all__ = ["RateShare"]

log = logging.getLogger(__name__)
SENDERS = "sokh:senders"
BEAT_S = 5.0
TTL_S = 15.0


class RateShare:
    """Keeps `limits`' overall rate at its share among the live senders."""

    def __init__(self, redis: Redis, limits: SendLimits, beat_s: float = BEAT_S,
                 ttl_s: float = TTL_S, name: str = SENDERS) -> None:
        self._redis, self._limits, self._name = redis, limits, name
        self._beat_s, self._ttl_s = beat_s, ttl_s
        self._token = uuid.uuid4().hex
        self.senders = 1

    async def run(self, stop: asyncio.Event) -> None:
        """Beat until `stop`, then leave the set so the others speed up at once."""
        while not stop.is_set():
            await self.beat()
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._beat_s)
        with suppress(RedisError, OSError):
            await self._redis.zrem(self._name, self._token)

    async def beat(self) -> None:
        """Say this sender is alive, count the live ones, and take this one's share."""
        try:
            seconds, micros = await self._redis.time()
            now = seconds + micros / 1e6  # the server's clock: the same for every sender
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.zadd(self._name, {self._token: now})
                pipe.zremrangebyscore(self._name, "-inf", now - self._ttl_s)
                pipe.zcard(self._name)
                *_, live = await pipe.execute()
        except (RedisError, OSError):
            return  # keep the last share: Redis down must not double the rate
        self.senders = max(1, int(live))
        self._limits.overall.interval = self.senders / self._limits.overall_per_s
