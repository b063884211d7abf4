"""Telegram's sending limits as reservations: each send gets a slot, no bucket overflows."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

# A little under Telegram's 30/s, so clock jitter never tips a burst over the edge.
OVERALL_PER_S = 29.0
PAID_PER_S = 1000.0
PRIVATE_INTERVAL_S = 1.0
GROUP_INTERVAL_S = 3.0  # 20 per minute
# Telegram's group limit is 20 a minute, not one every 3 s: the relay may send a burst, as
# long as no 60 s hold more than this (one kept for the forum's direct answers).
GROUP_BURST, GROUP_SPAN_S = 19, 60.0
# Chats idle longer than this need no memory of their last slot.
FORGET_AFTER_S = 60.0


@dataclass
class Slots:
    """One bucket, kept as the earliest time its next message may go."""

    interval: float
    next_at: float = 0.0

    def take(self, earliest: float) -> float:
        """Reserve the first slot at or after `earliest`; return its time."""
        slot = max(earliest, self.next_at)
        self.next_at = slot + self.interval
        return slot


@dataclass
class SendLimits:
    """Overall and per-chat slots; group chats have negative ids in the Bot API."""

    overall_per_s: float = OVERALL_PER_S
    monotonic: Callable[[], float] = field(default=lambda: 0.0)
    _chats: dict[int, Slots] = field(default_factory=dict)
    _windows: dict[int, deque[float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.overall = Slots(1.0 / self.overall_per_s)

    def chat_wait(self, chat_id: int) -> float:
        """Seconds until this chat may receive another message."""
        slots = self._chats.get(chat_id)
        return 0.0 if slots is None else max(0.0, slots.next_at - self.monotonic())

    def reserve(self, chat_id: int) -> float:
        """Take the next slot for this chat and overall; return seconds to wait for it."""
        now = self.monotonic()
        interval = PRIVATE_INTERVAL_S if chat_id > 0 else GROUP_INTERVAL_S
        chat = self._chats.setdefault(chat_id, Slots(interval))
        # Callers check chat_wait first; a chat's wait never holds back the overall queue.
        slot = self.overall.take(now)
        chat.next_at = max(chat.next_at, slot) + interval
        if len(self._chats) > 10_000:
            self._forget_idle(now)
        return slot - now

    def pause(self, seconds: float) -> None:
        """Hold every send for `seconds` (Telegram said 429 retry_after)."""
        self.overall.next_at = max(self.overall.next_at, self.monotonic() + seconds)

    def burst_wait(self, chat_id: int) -> float:
        """Seconds until a group may take one more message of its 20 a minute (bursts
        allowed), or a held chat may again; a private chat's wait as chat_wait."""
        if chat_id > 0:
            return self.chat_wait(chat_id)
        now, sent = self.monotonic(), self._windows.setdefault(chat_id, deque())
        while sent and sent[0] <= now - GROUP_SPAN_S:
            sent.popleft()
        full = sent[0] + GROUP_SPAN_S - now if len(sent) >= GROUP_BURST else 0.0
        return max(full, self.chat_wait(chat_id))

    def reserve_burst(self, chat_id: int) -> float:
        """Take an overall slot and count it in the group's minute; return seconds to wait."""
        if chat_id > 0:
            return self.reserve(chat_id)
        wait = self.overall.take(self.monotonic()) - self.monotonic()
        self._windows.setdefault(chat_id, deque()).append(self.monotonic() + max(0.0, wait))
        return wait

    def hold(self, chat_id: int, seconds: float) -> None:
        """Hold one chat for `seconds` (a 429 about that chat's own limit)."""
        interval = PRIVATE_INTERVAL_S if chat_id > 0 else GROUP_INTERVAL_S
        chat = self._chats.setdefault(chat_id, Slots(interval))
        chat.next_at = max(chat.next_at, self.monotonic() + seconds)

    def _forget_idle(self, now: float) -> None:
        idle = [c for c, s in self._chats.items() if s.next_at < now - FORGET_AFTER_S]
        for chat_id in idle:
            del self._chats[chat_id]
