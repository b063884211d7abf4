"""The flood gate: a person's updates over the limit are dropped before aiogram parses them.

A flood of a thousand messages from one person used to cost a full parse, every middleware,
a task and a log line per update, and delayed everyone else's replies by seconds. The gate
reads the raw JSON of each update (polling batch or webhook body), counts it against its
sender, and drops it when the sender is over the limit: only the dropped count grows. The
first update over the limit still goes through, so ThrottleMiddleware can tell the person
once. Counting is per process, in memory: the shared (Redis) limit stays with
ThrottleMiddleware, which sees what the gate let through.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

__all__ = ["FloodGate", "NoteDropped", "SkipBareUpdates"]

Json = dict[str, Any]
# Told a dropped message's chat and id, so quick exit can still delete it (docs/quick-exit.md).
NoteDropped = Callable[[int, int], None]
# Whether a sender's updates pass whatever their count (a person in an open counsellor case:
# nothing they write may be lost; the relay keeps Telegram's limits itself).
Exempt = Callable[[int], bool]
# Past this many people tracked, those idle for a window are forgotten.
MAX_TRACKED = 50_000


class FloodGate:
    """Sliding-window counts per sender of private updates, on raw update dicts."""

    def __init__(self, limit: int, window_s: float, note_dropped: NoteDropped | None = None,
                 monotonic: Callable[[], float] = time.monotonic,
                 exempt: Exempt | None = None) -> None:
        self._limit, self._window = limit, window_s
        self._note_dropped, self._exempt = note_dropped, exempt
        self._monotonic = monotonic
        self._events: dict[int, deque[float]] = {}
        self.dropped = 0

    def admit(self, update: Json) -> bool:
        """Count `update` against its sender; False when it is to be dropped unparsed."""
        sender = _private_sender(update)
        if sender is None:
            return True
        if self._count(sender) <= self._limit + 1:
            return True
        if self._exempt is not None and self._exempt(sender):
            return True
        self.dropped += 1
        message = update.get("message")
        if self._note_dropped is not None and isinstance(message, dict):
            self._note_dropped(sender, int(message.get("message_id", 0)))
        return False

    def filter_batch(self, updates: list[Json]) -> list[Json]:
        """The updates to parse from a getUpdates batch.

        When the batch's last update is dropped, its bare `update_id` stays at the end, so
        polling still confirms it (the offset follows the last update handed on);
        SkipBareUpdates stops it in the dispatcher.
        """
        kept = [update for update in updates if self.admit(update)]
        if updates and (not kept or kept[-1] is not updates[-1]):
            kept.append({"update_id": updates[-1]["update_id"]})
        return kept

    def _count(self, sender: int) -> int:
        now = self._monotonic()
        events = self._events.get(sender)
        if events is None:
            if len(self._events) >= MAX_TRACKED:
                self._forget_idle(now)
            events = self._events[sender] = deque()
        while events and now - events[0] > self._window:
            events.popleft()
        events.append(now)
        return len(events)

    def _forget_idle(self, now: float) -> None:
        idle = [key for key, e in self._events.items() if not e or now - e[-1] > self._window]
        for key in idle:
            del self._events[key]


class SkipBareUpdates(BaseMiddleware):
    """First update-level outer middleware: a bare id left by the gate goes no further."""

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        if isinstance(event, Update) and not event.model_fields_set - {"update_id"}:
            return None
        return await handler(event, data)


def _private_sender(update: Json) -> int | None:
    """The sender of a private message, edit or button tap; None for anything else."""
    for kind in ("message", "edited_message", "callback_query"):
        body = update.get(kind)
        if isinstance(body, dict):
            chat = body.get("chat") if kind != "callback_query" else _chat_of_tap(body)
            sender = body.get("from")
            if not isinstance(chat, dict) or chat.get("type") != "private":
                return None
            return int(sender["id"]) if isinstance(sender, dict) and "id" in sender else None
    return None


def _chat_of_tap(body: Json) -> Any:
    message = body.get("message")
    return message.get("chat") if isinstance(message, dict) else None
