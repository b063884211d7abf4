"""Record the id of every private-chat message, both ways, through a write-behind buffer.

A database write per message would halve the updates per second, so ids are buffered in
memory and written in one transaction about twice a second, and on shutdown. A failing
database never reaches a reply: the buffer keeps what it has and tries again.
See docs/quick-exit.md.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import datetime
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.enums import ChatType
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, MessageId, TelegramObject
from sqlalchemy.exc import SQLAlchemyError

from bot.runtime.clock import Clock
from bot.storage.trail import WINDOW, Pending, TrailStore
from bot.storage.vault import Vault

__all__ = ["IncomingTrail", "OutgoingTrail", "TrailRecorder"]

log = logging.getLogger(__name__)
FLUSH_INTERVAL_S = 0.5
# While the database is down the buffer grows; past this many ids the oldest are dropped.
MAX_BUFFERED = 50_000
# People whose first recent id (and veil) this process remembers, beyond the buffer.
MAX_REMEMBERED = 100_000
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class TrailRecorder:
    """The in-memory buffer in front of TrailStore, flushed by a background task."""

    def __init__(self, store: TrailStore, vault: Vault, clock: Clock) -> None:
        self.store, self._vault, self._clock = store, vault, clock
        self._pending = Pending()
        self._lock = asyncio.Lock()
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._failing = False
        # Memory a hide falls back on when the database is slow or down: per person the
        # first and newest ids seen within 48 h (the range to sweep), and who is veiled.
        self._span: dict[str, tuple[int, int, datetime]] = {}
        self._veiled: dict[str, datetime] = {}

    def note(self, chat_id: int, message_id: int | None, sensitive: bool = False,
             language: str | None = None, opened: bool = False) -> None:
        """Remember a message (or only activity, without an id) in a private chat.

        `opened`: the person wrote or tapped, which lifts a hide's veil.
        """
        # In a private chat the chat id is the person's Telegram id.
        key, at = self._vault.person_key(chat_id), self._clock()
        pending = self._pending
        pending.active[key] = max(at, pending.active.get(key, at))
        if opened:
            pending.opened[key] = max(at, pending.opened.get(key, at))
            self._veiled.pop(key, None)
        if message_id is not None:
            self._remember_span(key, message_id, at)
        # Activity alone creates no row: a tap just after /forget must not bring one back.
        if message_id is not None or sensitive:
            pending.owners.add(key)
        if message_id is not None:
            pending.messages.append((key, message_id, at))
        if sensitive:
            pending.sensitive.setdefault(key, at)
        if language is not None:
            pending.languages[key] = language

    def _remember_span(self, key: str, message_id: int, at: datetime) -> None:
        span = self._span.get(key)
        if span is None or at - span[2] >= WINDOW:
            span = (message_id, message_id, at)
        _bounded_set(self._span, key, (min(span[0], message_id), max(span[1], message_id),
                                       span[2]))

    def remembered(self, person_key: str) -> list[int]:
        """The ids this process knows of without the database: the buffer and the span."""
        ids = {mid for key, mid, _ in self._pending.messages if key == person_key}
        span = self._span.get(person_key)
        if span is not None and self._clock() - span[2] < WINDOW:
            ids.update(span[:2])
        return sorted(ids)

    def hidden(self, person_key: str) -> None:
        """A hide just ran: start the range afresh and veil the chat in this process."""
        self._span.pop(person_key, None)
        _bounded_set(self._veiled, person_key, self._clock())

    def veiled(self, person_key: str) -> bool:
        """True when this process hid the chat and the person has not come back since."""
        return person_key in self._veiled

    async def flush(self) -> None:
        """Write everything buffered; on failure keep it for the next try."""
        async with self._lock:
            batch, self._pending = self._pending, Pending()
            if not batch:
                return
            try:
                await self.store.save(batch)
            except (SQLAlchemyError, OSError):
                # Once per outage, not twice a second while the database is down.
                if not self._failing:
                    log.warning("could not write the message trail; will retry", exc_info=True)
                self._failing = True
                self._pending = _merge(batch, self._pending)
                return
            self._failing = False

    def start(self) -> None:
        """Start flushing every FLUSH_INTERVAL_S."""
        self._stop.clear()
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Stop the flusher and write what is left, so a restart loses nothing."""
        self._stop.set()
        if self._task is not None:
            await self._task
            self._task = None
        await self.flush()

    async def _run(self) -> None:
        while not self._stop.is_set():
            with suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), FLUSH_INTERVAL_S)
            try:
                await self.flush()
            except Exception:  # the flusher must outlive any surprise
                log.exception("message trail flush failed")


def _bounded_set(table: dict[str, Any], key: str, value: Any) -> None:
    """Set a key, dropping the oldest entries past MAX_REMEMBERED (dicts keep order)."""
    table.pop(key, None)
    table[key] = value
    while len(table) > MAX_REMEMBERED:
        del table[next(iter(table))]


def _merge(older: Pending, newer: Pending) -> Pending:
    """Put a failed batch back in front of what arrived meanwhile."""
    merged = Pending(messages=(older.messages + newer.messages)[-MAX_BUFFERED:],
                     owners=older.owners | newer.owners,
                     active={**older.active, **newer.active},
                     sensitive={**newer.sensitive, **older.sensitive},
                     languages={**older.languages, **newer.languages},
                     opened={**older.opened, **newer.opened})
    return merged


class IncomingTrail(BaseMiddleware):
    """Outer middleware: note the person's messages, edits and taps in private chats."""

    def __init__(self, recorder: TrailRecorder) -> None:
        self._recorder = recorder

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        message = event.message if isinstance(event, CallbackQuery) else event
        if isinstance(message, Message) and message.chat.type == ChatType.PRIVATE:
            # An edit or a tap is activity only; its message id is already kept.
            fresh = isinstance(event, Message) and event.edit_date is None
            # ContextMiddleware (an update-level outer middleware) already chose the language.
            t = data.get("t")
            self._recorder.note(message.chat.id, message.message_id if fresh else None,
                                language=getattr(t, "language", None), opened=True)
        return await handler(event, data)


class OutgoingTrail(BaseRequestMiddleware):
    """Session middleware: note every message the bot sends to a private chat.

    It sees proactive sends by the outbox sender too. A screen carrying the 'Hide this
    chat' button (callback data `marker`) starts a sensitive spell for auto-clean.
    """

    def __init__(self, recorder: TrailRecorder, marker: str) -> None:
        self._recorder, self._marker = recorder, marker

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        response = await make_request(bot, method)
        # Typed as Response, but aiogram's chain hands back the bare result.
        result = response.result if isinstance(response, Response) else response
        try:
            self._note(method, result)
        except Exception:  # recording must never break a reply
            log.exception("could not note a sent message")
        return response

    def _note(self, method: TelegramMethod[Any], result: Any) -> None:
        sensitive = self._sensitive(method)
        new = type(method).__name__.startswith(("Send", "Copy", "Forward"))
        results = result if isinstance(result, list) else [result]
        for item in results:
            chat_id = _private_chat(method, item)
            if chat_id is not None:
                message_id = getattr(item, "message_id", None) if new else None
                self._recorder.note(chat_id, message_id, sensitive)

    def _sensitive(self, method: TelegramMethod[Any]) -> bool:
        markup = getattr(method, "reply_markup", None)
        if not isinstance(markup, InlineKeyboardMarkup):
            return False
        return any(button.callback_data == self._marker
                   for row in markup.inline_keyboard for button in row)


def _private_chat(method: TelegramMethod[Any], result: Any) -> int | None:
    if isinstance(result, Message):
        return result.chat.id if result.chat.type == ChatType.PRIVATE else None
    chat_id = getattr(method, "chat_id", None)
    # copyMessage answers with a bare MessageId; positive ids are private chats.
    if isinstance(result, MessageId) and isinstance(chat_id, int) and chat_id > 0:
        return chat_id
    return None

