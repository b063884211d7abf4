"""The counsellor relay's sender: ordered per case, paced per chat, urgent first.

Relay rows live in the outbox table (relay_queue.py), so a crash, a restart or `kill -9`
loses nothing that was queued. Only the first unsent row of a case and direction (its
head) may be sent, which keeps each case in order even across 429s and retries.
Consecutive texts of one case are merged into one message when they fit, so a burst costs
one of a group's 20 messages a minute. What a row becomes on Telegram is the flow's
business (`Deliver`, from dialogs/).
"""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from sqlalchemy.exc import SQLAlchemyError

from bot.proactive.limits import SendLimits
from bot.proactive.rate_share import ChatShare, shared_chat_wait
from bot.proactive.relay_queue import RelayQueue, RelayRow
from bot.runtime.clock import Clock
from bot.storage.vault import Vault

__all__ = ["Deliver", "RelayConfig", "RelaySender"]

log = logging.getLogger(__name__)
MERGE_CHARS = 3000  # merged texts stay well inside 4096 with the alias and notes around them
MAX_BACKOFF_S = 60.0


class Deliver(ABC):
    """What the flow does with a batch of one case's rows (sends them; may raise)."""

    @abstractmethod
    async def __call__(self, bot: Bot, rows: list[RelayRow]) -> None:
        """Send one batch; raise what Telegram said, for the sender to settle."""

    @abstractmethod
    async def refused(self, bot: Bot, rows: list[RelayRow]) -> None:
        """The person blocked the bot (403): the flow may tell the counsellor."""


@dataclass
class RelayConfig:
    """Knobs; tests drive the sleep (the pace comes from the SendLimits given)."""

    idle_s: float = 0.5
    # A row waits this long before it may go, so a message handled a moment later than the
    # one written after it (updates run concurrently) still takes its place in the order.
    grace_s: float = 0.3
    exclusive: bool = True
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    # Told the seconds from queued (or due again) to sent, per row (the relay-delay metric).
    delay: Callable[[float], None] | None = None


class RelaySender:
    """Sends each case's head in order, one chat's messages within its Telegram limit.

    Into a group: up to 19 in any minute, in bursts (its own limit is 20 a minute); a 429
    holds that chat for retry_after.
    """

    def __init__(self, bot: Bot, queue: RelayQueue, vault: Vault, deliver: Deliver,
                 clock: Clock, limits: SendLimits, config: RelayConfig | None = None) -> None:
        self.bot, self.queue, self.vault, self.deliver = bot, queue, vault, deliver
        self.clock, self.limits = clock, limits
        self.chats: ChatShare | None = None  # per-chat limits shared with other senders
        self.config = config or RelayConfig()
        self.sent_total = 0
        # Rows Telegram took whose 'sent' mark the database did not take (it went down just
        # then): marked first thing once it answers, so the case neither waits out the lease
        # nor gets them twice (docs/deploy.md, "Degraded, not down").
        self._unmarked: list[int] = []

    async def run(self, stop: asyncio.Event) -> None:
        """Relay until `stop` is set; a sole sender first takes back what a crash held."""
        if self.config.exclusive:
            with suppress(SQLAlchemyError, OSError):
                await self.queue.recover()
        while not stop.is_set():
            try:
                busy = await self.run_once()
            except (SQLAlchemyError, OSError):
                log.warning("relay queue unavailable; trying again shortly", exc_info=True)
                busy = 0
            if busy == 0:
                await self._idle(stop)

    async def _idle(self, stop: asyncio.Event) -> None:
        self.queue.wake.clear()
        waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self.queue.wake.wait())]
        await asyncio.wait(waits, timeout=self.config.idle_s, return_when=asyncio.FIRST_COMPLETED)
        for waiting in waits:
            waiting.cancel()

    async def run_once(self) -> int:
        """Send one batch per free chat; return how many batches were sent or settled."""
        if self._unmarked:
            await self.queue.done(self._unmarked)
            self._unmarked = []
        now = self.clock()
        chosen = self._choose(await self.queue.heads(now - timedelta(seconds=self.config.grace_s)))
        held = set(await self.queue.claim([row.id for _, row in chosen], now))
        batches = [(chat, row) for chat, row in chosen if row.id in held]
        await asyncio.gather(*(self._batch(chat, row, now) for chat, row in batches))
        return len(batches)

    def _choose(self, heads: list[RelayRow]) -> list[tuple[int, RelayRow]]:
        """One head per chat that may receive now: urgent cases first, then the oldest."""
        chosen: dict[int, RelayRow] = {}
        for row in sorted(heads, key=lambda r: (not r.urgent, r.id)):
            chat = self.target(row)
            if chat not in chosen and self.limits.burst_wait(chat) <= 0:
                chosen[chat] = row
        return list(chosen.items())

    def target(self, row: RelayRow) -> int:
        """The chat a row goes to: a counsellors' group, or the person (decrypted)."""
        if "to" in row.payload:
            return int(row.payload["to"])
        assert row.chat_id_enc is not None
        return self.vault.decrypt_chat_id(row.chat_id_enc, row.person_key)

    async def _batch(self, chat: int, head: RelayRow, now: datetime) -> None:
        busy = await shared_chat_wait(self.chats, self.limits, chat)
        if busy > 0:  # another sender wrote to this chat just now: wait, uncounted
            await self.queue.again([head.id], busy, "chat busy", count=False)
            return
        rows = [head, *await self._merged(head, now)]
        await self.config.sleep(max(0.0, self.limits.reserve_burst(chat)))
        await self._send(chat, rows)

    async def _merged(self, head: RelayRow, now: datetime) -> list[RelayRow]:
        """The texts queued right after a text head that fit in one message with it."""
        if not head.payload.get("merge"):
            return []
        room, taken = MERGE_CHARS - int(head.payload.get("size", 0)), []
        for row in await self.queue.followers(head, now):
            room -= int(row.payload.get("size", 0))
            if not row.payload.get("merge") or room < 0:
                break
            taken.append(row)
        return taken

    async def _send(self, chat: int, rows: list[RelayRow]) -> None:
        ids = [row.id for row in rows]
        try:
            await self.deliver(self.bot, rows)
        except TelegramRetryAfter as error:
            self.limits.hold(chat, error.retry_after)
            await self.queue.again(ids, error.retry_after, "429", count=False)
        except TelegramForbiddenError:
            await self._forbidden(chat, rows)
        except TelegramBadRequest as error:
            log.warning("relay row %d refused: %s", rows[0].id, error.message)
            await self.queue.fail(ids[:1], error.message)
            if len(ids) > 1:  # the merged ones wait for their own turn
                await self.queue.again(ids[1:], 0, "merged with a refused one", count=False)
        except Exception as error:  # 5xx, network, timeouts and the unexpected: retry later
            log.warning("relay row %d not sent yet (%s)", rows[0].id, type(error).__name__)
            await self.queue.again(ids, _backoff(rows[0].attempts), type(error).__name__, True)
        else:
            self.sent_total += len(ids)
            self._observe_delay(rows)
            try:
                await self.queue.done(ids)
            except (SQLAlchemyError, OSError):
                self._unmarked.extend(ids)
                raise

    def _observe_delay(self, rows: list[RelayRow]) -> None:
        if self.config.delay is None:
            return
        now = self.clock()
        for row in rows:
            if row.due_at is not None:
                self.config.delay(max(0.0, (now - row.due_at).total_seconds()))

    async def _forbidden(self, chat: int, rows: list[RelayRow]) -> None:
        """403: a person who blocked the bot is told nothing more; a group is retried."""
        ids = [row.id for row in rows]
        if chat > 0:
            await self.queue.fail(ids, "blocked")
            with suppress(Exception):
                await self.deliver.refused(self.bot, rows)
            return
        log.error("the bot may not post in a counsellors' group: check COUNSELLOR_CHAT_ID")
        await self.queue.again(ids, MAX_BACKOFF_S, "403", count=True)


def _backoff(attempts: int) -> float:
    """Seconds before the next try: doubling from 1, capped, never given up."""
    return float(min(MAX_BACKOFF_S, 2 ** attempts))
