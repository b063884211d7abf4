"""The update queue: long polling with offsets, or pushing to a webhook."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from simulator.spec import ApiError, FileUpload
from simulator.webhook import Webhook, read_reply

__all__ = ["UpdateQueue"]

log = logging.getLogger(__name__)
Json = dict[str, Any]
ReplyHandler = Callable[[Json, dict[str, FileUpload]], Awaitable[None]]

# Telegram leaves these out unless asked for explicitly.
_NOT_BY_DEFAULT = {"chat_member", "message_reaction", "message_reaction_count"}
_CONFLICT_POLL = ("Conflict: terminated by other getUpdates request; make sure that only one "
                  "bot instance is running")
_CONFLICT_HOOK = ("Conflict: can't use getUpdates method while webhook is active; use "
                  "deleteWebhook to delete the webhook first")


def _update_kind(update: Json) -> str:
    return next(key for key in update if key != "update_id")


def _chat_key(update: Json) -> int:
    """Find the chat an update belongs to, so one chat's updates stay in order."""
    body = update[_update_kind(update)]
    for path in (("chat",), ("message", "chat"), ("from",), ("user",)):
        node: Any = body
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict) and "id" in node:
            return int(node["id"])
    return -int(update["update_id"])


class UpdateQueue:
    """Pending updates in order, confirmed by offset like Telegram's."""

    def __init__(self, on_reply: ReplyHandler) -> None:
        self.pending: OrderedDict[int, Json] = OrderedDict()
        # Telegram picks a random first id when a bot had no updates for a week; here every
        # emulator does, so update-id claims a shared Redis kept from an earlier run (26 h)
        # never match this run's updates.
        self.next_id = random.randrange(100_000_001, 1_000_000_000)
        self.allowed: set[str] | None = None
        self.webhook: Webhook | None = None
        self.delivering = 0
        self.closing = False
        self._on_reply = on_reply
        self._wakeup = asyncio.Event()
        self._poll_generation = 0
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    def push(self, kind: str, payload: Json) -> Json:
        """Queue an update and wake the poller or the webhook sender."""
        update: Json = {"update_id": self.next_id, kind: payload}
        self.next_id += 1
        self.pending[update["update_id"]] = update
        self._wakeup.set()
        return update

    def _allowed(self, update: Json) -> bool:
        kind = _update_kind(update)
        return kind not in _NOT_BY_DEFAULT if self.allowed is None else kind in self.allowed

    def set_allowed(self, allowed: list[str] | None) -> None:
        """Remember allowed_updates; an empty list means the default set."""
        if allowed is not None:
            self.allowed = set(allowed) or None

    def confirm(self, offset: int) -> None:
        """Forget updates below offset (a negative offset keeps the last -offset)."""
        if offset < 0:
            while len(self.pending) > -offset:
                self.pending.popitem(last=False)
            return
        while self.pending and next(iter(self.pending)) < offset:
            self.pending.popitem(last=False)

    def take(self, limit: int) -> list[Json]:
        """Return up to limit allowed updates, dropping the ones not allowed."""
        found: list[Json] = []
        for update_id in list(self._head(limit * 2 + 16)):
            update = self.pending[update_id]
            if not self._allowed(update):
                del self.pending[update_id]
                continue
            found.append(update)
            if len(found) >= limit:
                break
        return found

    def _head(self, count: int) -> list[int]:
        ids: list[int] = []
        for update_id in self.pending:
            ids.append(update_id)
            if len(ids) >= count:
                break
        return ids

    async def get_updates(self, params: Json) -> list[Json]:
        """Serve getUpdates: confirm, then wait up to timeout for updates."""
        if self.webhook is not None:
            raise ApiError(409, _CONFLICT_HOOK)
        self._poll_generation += 1
        generation = self._poll_generation
        self._wakeup.set()  # wake an older poller so it ends with 409 Conflict
        self.set_allowed(params.get("allowed_updates"))
        if "offset" in params:
            self.confirm(int(params["offset"]))
        limit = min(max(int(params.get("limit", 100)), 1), 100)
        deadline = time.monotonic() + max(0, int(params.get("timeout", 0)))
        while True:
            found = self.take(limit)
            if found:
                return found
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.closing:
                return []
            self._wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), remaining)
            if generation != self._poll_generation:
                raise ApiError(409, _CONFLICT_POLL)

    def set_webhook(self, hook: Webhook | None, drop_pending: bool) -> None:
        """Install or remove the webhook, starting or stopping the sender."""
        if drop_pending:
            self.pending.clear()
        self.webhook = hook
        # A getUpdates waiting now must end with 409 Conflict.
        self._poll_generation += 1
        self._wakeup.set()
        if hook is not None:
            self.set_allowed(hook.allowed_updates)
            if self._task is None or self._task.done():
                self._task = asyncio.create_task(self._send_loop())

    async def close(self) -> None:
        """Stop the webhook sender and end long polls."""
        self.closing = True
        self._wakeup.set()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._session is not None:
            await self._session.close()

    def _batch(self, size: int) -> list[Json]:
        """Take a head of updates with distinct chats, so per-chat order holds."""
        seen: set[int] = set()
        batch: list[Json] = []
        for update in self.take(size):
            key = _chat_key(update)
            if key in seen:
                break
            seen.add(key)
            batch.append(update)
        return batch

    async def _send_loop(self) -> None:
        self._session = self._session or aiohttp.ClientSession()
        backoff = 0.05
        while self.webhook is not None:
            batch = self._batch(self.webhook.max_connections)
            if not batch:
                self._wakeup.clear()
                await self._wakeup.wait()
                continue
            self.delivering = len(batch)
            results = await asyncio.gather(*(self._deliver(u) for u in batch))
            self.delivering = 0
            for update, ok in zip(batch, results, strict=True):
                if ok:
                    self.pending.pop(update["update_id"], None)
            backoff = 0.05 if all(results) else min(backoff * 2, 2.0)
            if not all(results):
                await asyncio.sleep(backoff)

    async def _deliver(self, update: Json) -> bool:
        hook = self.webhook
        if hook is None or self._session is None:
            return False
        headers = {"Content-Type": "application/json"}
        if hook.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = hook.secret_token
        try:
            async with self._session.post(hook.url, json=update, headers=headers,
                                          timeout=aiohttp.ClientTimeout(total=60)) as resp:
                if resp.status >= 300:
                    raise RuntimeError(f"Wrong response from the webhook: {resp.status} "
                                       f"{resp.reason}")
                reply = await read_reply(resp)
        except (aiohttp.ClientError, RuntimeError, TimeoutError) as err:
            hook.last_error_date = int(time.time())
            hook.last_error_message = str(err) or type(err).__name__
            log.debug("webhook delivery failed: %s", hook.last_error_message)
            return False
        hook.delivered += 1
        if reply is not None:
            await self._on_reply(*reply)
        return True
