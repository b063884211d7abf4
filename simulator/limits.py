"""Telegram's flood limits as token buckets: overall, per private chat, per group."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["RateLimiter"]


@dataclass
class _Bucket:
    capacity: float
    per_second: float
    tokens: float
    stamp: float

    def wait_needed(self, now: float) -> float:
        """Refill, then return seconds until one token is available (0 if now)."""
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.per_second)
        self.stamp = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.per_second


class RateLimiter:
    """About 30 messages/s overall, 1/s per private chat (small bursts), 20/min per group."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.overall = _Bucket(30, 30.0, 30, clock())
        self.chats: dict[int, _Bucket] = {}

    def _chat_bucket(self, chat_id: int, is_private: bool, now: float) -> _Bucket:
        bucket = self.chats.get(chat_id)
        if bucket is None:
            bucket = (_Bucket(3, 1.0, 3, now) if is_private
                      else _Bucket(20, 20 / 60, 20, now))
            self.chats[chat_id] = bucket
        return bucket

    def check(self, chat_id: int, is_private: bool) -> int:
        """Take one message slot; return 0, or retry_after seconds when over the limit."""
        now = self.clock()
        chat = self._chat_bucket(chat_id, is_private, now)
        wait = max(self.overall.wait_needed(now), chat.wait_needed(now))
        if wait > 0:
            return max(1, math.ceil(wait))
        self.overall.tokens -= 1
        chat.tokens -= 1
        return 0
