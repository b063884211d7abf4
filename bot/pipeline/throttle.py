"""Flood control: a person who floods the bot is slowed down, everyone else is not."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict, defaultdict, deque
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from aiogram import BaseMiddleware
from aiogram.enums import ChatType
from aiogram.types import CallbackQuery, Chat, Message, TelegramObject, User
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.pipeline.middlewares import Handler
from bot.runtime.breaker import IN_LINE_TIMEOUT_S, Breaker
from bot.storage.vault import Vault

log = logging.getLogger(__name__)


class Limiter(Protocol):
    async def count(self, key: str) -> int:
        """Record one event for `key`; return how many fell in the current window."""

    async def forget(self, key: str) -> None:
        """Drop what is counted for `key` (/forget)."""


class MemoryLimiter:
    """Sliding window per key, for a single process."""

    def __init__(self, window_s: float) -> None:
        self._window = window_s
        self._events: defaultdict[str, deque[float]] = defaultdict(deque)

    async def count(self, key: str) -> int:
        now, events = time.monotonic(), self._events[key]
        while events and now - events[0] > self._window:
            events.popleft()
        events.append(now)
        if len(self._events) > 50_000:
            self._forget_idle(now)
        return len(events)

    async def forget(self, key: str) -> None:
        """Drop a person's recent events."""
        self._events.pop(key, None)

    def _forget_idle(self, now: float) -> None:
        idle = [k for k, e in self._events.items() if not e or now - e[-1] > self._window]
        for key in idle:
            del self._events[key]


class RedisLimiter:
    """Fixed window per key in Redis, shared by every bot process."""

    def __init__(self, redis: Redis, window_s: float, breaker: Breaker | None = None) -> None:
        self._redis, self._window = redis, window_s
        self._fallback = MemoryLimiter(window_s)
        self._breaker = breaker or Breaker()

    async def count(self, key: str) -> int:
        if self._breaker.open:  # failed a moment ago: do not wait on it again yet
            return await self._fallback.count(key)
        try:
            # Bounded: a hung Redis must not hold a message (a crisis one least of all).
            return await asyncio.wait_for(self._count(key), IN_LINE_TIMEOUT_S)
        except (RedisError, OSError, TimeoutError):
            # Redis down must not silence anyone: limit this process alone meanwhile.
            self._breaker.trip()
            log.warning("flood limiter: Redis unreachable, counting in memory")
            return await self._fallback.count(key)

    async def forget(self, key: str) -> None:
        """Delete a person's counters: only the last few windows' exist (they expire)."""
        await self._fallback.forget(key)
        slot = int(time.time() / self._window)
        await self._redis.delete(*(self._name(key, s) for s in range(slot - 2, slot + 2)))

    @staticmethod
    def _name(key: str, slot: int) -> str:
        return f"sokh:flood:{key}:{slot}"

    async def _count(self, key: str) -> int:
        slot = int(time.time() / self._window)
        name = self._name(key, slot)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, max(1, int(self._window * 2)))
            total, _ = await pipe.execute()
        return int(total)


Exempt = Callable[[int], Awaitable[bool]]
ALBUMS_KEPT = 10_000


class ThrottleMiddleware(BaseMiddleware):
    """Drops a private chat's updates over the limit, telling the person once per window.

    Most of a flood never gets here: the FloodGate drops it unparsed. This middleware tells
    the person, and holds the limit across processes when the limiter is Redis.
    An album (a media group: one update per photo) counts once. Messages of a person for
    whom `exempt` is true (in an open counsellor case) are never dropped: the relay queues
    them and keeps Telegram's limits itself.
    """

    def __init__(self, limiter: Limiter, limit: int, vault: Vault,
                 exempt: Exempt | None = None) -> None:
        self._limiter, self._limit, self._vault = limiter, limit, vault
        self.dropped = 0  # counted, not logged: a log line each was a cost of the flood
        self._exempt = exempt
        self._albums: OrderedDict[str, None] = OrderedDict()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        chat: Chat | None = data.get("event_chat")
        if user is None or chat is None or chat.type != ChatType.PRIVATE:
            return await handler(event, data)
        if self._album_seen(event):
            return await handler(event, data)
        seen = await self._limiter.count(self._vault.person_key(user.id))
        if seen <= self._limit:
            return await handler(event, data)
        if isinstance(event, Message) and self._exempt and await self._exempt(user.id):
            return await handler(event, data)
        self.dropped += 1
        if seen == self._limit + 1:
            log.info("flood: a person went over the limit; their updates are dropped a while")
            await _tell(event, data["t"]("fallback-too-fast"))
        return None

    def _album_seen(self, event: TelegramObject) -> bool:
        """True for the second and later photos of an album (the first one was counted)."""
        album = event.media_group_id if isinstance(event, Message) else None
        if album is None:
            return False
        if album in self._albums:
            return True
        self._albums[album] = None
        if len(self._albums) > ALBUMS_KEPT:
            self._albums.popitem(last=False)
        return False


async def _tell(event: TelegramObject, text: str) -> None:
    if isinstance(event, Message | CallbackQuery):
        await event.answer(text)
