"""Watching the bot from tests: messages, requests, waiting for replies or for quiet."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from simulator.core import resolve
from simulator.events import UserEvents
from simulator.markup import button_labels
from simulator.state import RecordedRequest, SimChat, SimMessage

__all__ = ["Observer"]

Json = dict[str, Any]
RequestWaiter = tuple[str, Callable[[RecordedRequest], bool] | None,
                      "asyncio.Future[RecordedRequest]"]


class Observer(UserEvents):
    """What tests look at: the chats as people see them and the requests the bot made."""

    def __init__(self, token: str, spec_path: Path | None) -> None:
        super().__init__(token, spec_path)
        self._request_waiters: list[RequestWaiter] = []
        self._inflight = 0
        self._last_activity = time.monotonic()

    def record(self, request: RecordedRequest) -> None:
        """Log a request and resolve the waiters it matches."""
        super().record(request)
        if not self._request_waiters:
            return
        keep: list[RequestWaiter] = []
        for method, predicate, future in self._request_waiters:
            if future.done():
                continue
            if method != request.method.lower() or not resolve(future, predicate, request):
                keep.append((method, predicate, future))
        self._request_waiters = keep

    @property
    def errors(self) -> list[RecordedRequest]:
        """Return the requests Telegram would have refused."""
        return list(self._errors)

    def calls(self, method: str) -> list[RecordedRequest]:
        """Return the recorded requests of one method (case-insensitive)."""
        lowered = method.lower()
        return [r for r in self.requests if r.method.lower() == lowered]

    def chat_messages(self, chat: SimChat, include_deleted: bool = False) -> list[SimMessage]:
        """Return the chat's messages, oldest first, deleted ones only on request."""
        return [m for m in chat.messages.values() if include_deleted or not m.deleted]

    def last_bot_message(self, chat: SimChat) -> SimMessage | None:
        """Return the newest visible bot message in the chat."""
        for msg in reversed(chat.messages.values()):
            if msg.from_bot and not msg.deleted:
                return msg
        return None

    def buttons(self, message: SimMessage) -> list[str]:
        """Return the labels of the message's inline or reply keyboard."""
        return button_labels(message.reply_markup)

    def callback_answer(self, query_id: str) -> Json | None:
        """Return what answerCallbackQuery said for a query (None until answered)."""
        query = self.callbacks.get(query_id)
        return query["answer"] if query else None

    async def wait_for_bot_message(
        self, chat: SimChat, timeout: float = 5.0,
        predicate: Callable[[SimMessage], bool] | None = None,
    ) -> SimMessage:
        """Wait for the next new or edited bot message in the chat after this call."""
        future: asyncio.Future[SimMessage] = asyncio.get_running_loop().create_future()
        self.add_message_waiter(chat, (predicate, future))
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            seen = [m.text for m in self.chat_messages(chat)[-5:]]
            calls = [(r.method, r.description) for r in self.requests[-5:]]
            raise TimeoutError(f"no bot message in chat {chat.id} within {timeout}s; "
                               f"last messages: {seen}; last requests: {calls}") from None

    async def wait_for_request(
        self, method: str, timeout: float = 5.0,
        predicate: Callable[[RecordedRequest], bool] | None = None,
    ) -> RecordedRequest:
        """Wait for the next request of a method made after this call."""
        future: asyncio.Future[RecordedRequest] = asyncio.get_running_loop().create_future()
        self._request_waiters.append((method.lower(), predicate, future))
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise TimeoutError(f"no {method} request within {timeout}s") from None

    async def wait_idle(self, timeout: float = 5.0, quiet: float = 0.1) -> None:
        """Wait until no update is pending and no request came for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            busy = self.queue.pending or self.queue.delivering or self._inflight
            if not busy and now - self._last_activity >= quiet:
                return
            if now > deadline:
                raise TimeoutError(f"not idle after {timeout}s: {len(self.queue.pending)} "
                                   f"pending updates, {self._inflight} requests in flight")
            await asyncio.sleep(0.02)
