"""Telegram's overall sending rate shared by every sender process, through Redis.

Each sender reserves slots in its own SendLimits; with N senders that was N × 30 messages a
second, and Telegram answers the excess with 429. Each sender now says it is alive in a Redis
sorted set every few seconds and counts the live ones; its overall slot interval becomes
N / rate, so together they keep to the rate. A sender that dies drops out after `ttl_s` and
the others speed up again. Per-chat limits are shared too (`ChatShare`): a chat's slot is
taken in Redis before each send.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from contextlib import suppress

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.proactive.limits import (
    GROUP_BURST,
    GROUP_SPAN_S,
    PRIVATE_INTERVAL_S,
    SendLimits,
)
from bot.runtime.breaker import IN_LINE_TIMEOUT_S
from bot.storage.vault import Vault

__all__ = ["ChatShare", "RateShare", "shared_chat_wait"]

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


# KEYS: the chat's key. ARGV: planned delay ms, interval ms, span ms, burst, a unique member.
# Private chats (interval > 0): one slot every interval. Groups (burst > 0): at most `burst` in
# any `span`. Returns 0 with the slot taken, or the ms until one is free (nothing taken).
_TAKE = """
local t = redis.call('TIME')
local slot = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
local interval, span, burst = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
if interval > 0 then
  local free = tonumber(redis.call('GET', KEYS[1]) or '0')
  if free > slot then return free - slot end
  redis.call('SET', KEYS[1], slot + interval, 'PX', tonumber(ARGV[1]) + interval)
  return 0
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', slot - span)
if redis.call('ZCARD', KEYS[1]) >= burst then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + span - slot)
end
redis.call('ZADD', KEYS[1], slot, ARGV[5])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) + span)
return 0
"""


class ChatShare:
    """Telegram's per-chat limits (1 a second in a private chat, 20 a minute in a group) held
    by every sender process together, through Redis.

    Before sending, a sender takes the chat's slot here; a chat another sender used too
    recently comes back as a wait, and the row waits (no slot taken, nothing sent). Keys are
    pseudonyms of the chat id. Redis slow or down: the sender's own SendLimits alone.
    """

    def __init__(self, redis: Redis, vault: Vault) -> None:
        self._redis, self._vault = redis, vault
        self._take = redis.register_script(_TAKE)

    async def take(self, chat_id: int, planned_s: float = 0.0) -> float:
        """Take the chat's slot `planned_s` from now; 0.0, or the seconds until it is free."""
        key = f"sokh:chat-slot:{self._vault.pseudonym(f'chat:{chat_id}')}"
        private = chat_id > 0
        args: list[str | int] = [
            int(planned_s * 1000), int(PRIVATE_INTERVAL_S * 1000) if private else 0,
            int(GROUP_SPAN_S * 1000), 0 if private else GROUP_BURST, uuid.uuid4().hex]
        try:
            wait = await asyncio.wait_for(self._take(keys=[key], args=args), IN_LINE_TIMEOUT_S)
        except (RedisError, OSError, TimeoutError):
            log.warning("chat limits: Redis slow or unreachable; this sender's own limits only")
            return 0.0
        return int(wait) / 1000


async def shared_chat_wait(chats: ChatShare | None, limits: SendLimits, chat_id: int) -> float:
    """Take the chat's shared slot for when this sender's next overall slot comes; 0.0 when
    taken (or not shared), else the seconds until another sender's use of the chat allows."""
    if chats is None:
        return 0.0
    planned = max(0.0, limits.overall.next_at - limits.monotonic())
    return await chats.take(chat_id, planned)
