"""The counsellor relay's queue: durable, ordered per case, paced per chat, urgent first.

Relay rows live in the outbox table under the campaign `relay:<case id>`, so a crash, a
restart or `kill -9` loses nothing that was queued. Only the oldest waiting row of a case
(its head) may be sent, which keeps each case in order even across 429s and retries; the
general outbox sender leaves these rows alone. Consecutive texts of one case are merged
into one message when they fit, so a burst costs one of a group's 20 messages a minute.
What a row becomes on Telegram is the flow's business (`Deliver`, from dialogs/).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from bot.proactive.limits import SendLimits
from bot.proactive.outbox import (
    PENDING,
    RELAY,
    SENDING,
    SENT,
    NewMessage,
    Outbox,
)
from bot.runtime.clock import Clock
from bot.storage.models import OutboxRow
from bot.storage.vault import Vault

log = logging.getLogger(__name__)
LEASE = timedelta(seconds=60)
MERGE_CHARS = 3000  # merged texts stay well inside 4096 with the alias and notes around them
MAX_BACKOFF_S = 60.0


@dataclass(frozen=True)
class RelayRow:
    """One queued relay message as the sender holds it."""

    id: int
    case_id: int
    person_key: str
    chat_id_enc: str | None
    language: str
    payload: dict[str, Any] = field(hash=False)
    attempts: int
    campaign: str = ""  # the case and direction: rows in one are sent in `step` order
    step: str = ""

    @property
    def urgent(self) -> bool:
        """Whether the case came from crisis triage (sent before the others)."""
        return bool(self.payload.get("urgent"))


def relay_message(case_id: int, person_key: str, direction: str, seq: int, what: str,
                  chat_id_enc: str, language: str, payload: dict[str, Any],
                  now: datetime) -> NewMessage:
    """An outbox row of the relay, queued at most once, in order within its direction.

    `seq` is the Telegram message id the row comes from: updates are handled concurrently,
    so the order rows reach the table in is not the order they were written in.
    """
    return NewMessage(person_key, f"{RELAY}{case_id}:{direction}", f"{seq:012d}:{what}",
                      chat_id_enc, language, payload, now)


_COLUMNS = (OutboxRow.id, OutboxRow.campaign, OutboxRow.person_key, OutboxRow.chat_id_enc,
            OutboxRow.language, OutboxRow.payload, OutboxRow.attempts, OutboxRow.step)


def _row(values: Sequence[Any]) -> RelayRow:
    case_id = int(str(values[1])[len(RELAY):].partition(":")[0])
    return RelayRow(values[0], case_id, values[2], values[3], values[4],
                    json.loads(values[5]), values[6], values[1], values[7])


class RelayQueue:
    """The relay's rows: put, find each case's head, claim, settle."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], outbox: Outbox,
                 clock: Clock) -> None:
        self._sessions, self._outbox, self._clock = sessions, outbox, clock
        self.wake = asyncio.Event()  # a sender in this process starts at once

    async def put(self, messages: Sequence[NewMessage]) -> None:
        """Queue relay messages durably (a duplicate of a queued one is ignored)."""
        await self._outbox.enqueue(messages)
        self.wake.set()

    async def heads(self, now: datetime, limit: int = 200) -> list[RelayRow]:
        """The first unsent row of each case and direction, if due (or its sender died)."""
        row, earlier = OutboxRow, aliased(OutboxRow)
        blocked = exists().where(earlier.person_key == row.person_key,
                                 earlier.campaign == row.campaign, earlier.step < row.step,
                                 earlier.status.in_((PENDING, SENDING)))
        due = or_(and_(row.status == PENDING, row.due_at <= now),
                  and_(row.status == SENDING, row.lease_until < now))
        query = (select(*_COLUMNS).where(row.campaign.startswith(RELAY), due, ~blocked)
                 .order_by(row.id).limit(limit))
        async with self._sessions() as session:
            return [_row(values) for values in await session.execute(query)]

    async def recover(self) -> None:
        """Release every held relay row: only for a sole sender starting up (SQLite)."""
        query = (update(OutboxRow).where(OutboxRow.campaign.startswith(RELAY),
                                         OutboxRow.status == SENDING)
                 .values(status=PENDING, lease_until=None))
        async with self._sessions.begin() as session:
            await session.execute(query)

    async def claim(self, ids: Sequence[int], now: datetime) -> list[int]:
        """Take these rows if still free; return those this sender now holds."""
        free = or_(OutboxRow.status == PENDING,
                   and_(OutboxRow.status == SENDING, OutboxRow.lease_until < now))
        query = (update(OutboxRow).where(OutboxRow.id.in_(list(ids)), free)
                 .values(status=SENDING, lease_until=now + LEASE).returning(OutboxRow.id)
                 .execution_options(synchronize_session=False))
        async with self._sessions.begin() as session:
            return [int(i) for i in (await session.execute(query)).scalars()]

    async def followers(self, head: RelayRow, now: datetime, limit: int = 20) -> list[RelayRow]:
        """The rows queued right after a held head; held too (no one else can take them)."""
        query = (select(*_COLUMNS).where(OutboxRow.person_key == head.person_key,
                                         OutboxRow.campaign == head.campaign,
                                         OutboxRow.step > head.step, OutboxRow.status == PENDING)
                 .order_by(OutboxRow.step).limit(limit))
        async with self._sessions() as session:
            return [_row(values) for values in await session.execute(query)]

    async def done(self, ids: Sequence[int]) -> None:
        """Sent: keep the row for its key, drop the sealed words."""
        query = (update(OutboxRow).where(OutboxRow.id.in_(list(ids)))
                 .values(status=SENT, sent_at=self._clock(), lease_until=None, payload="{}")
                 .execution_options(synchronize_session=False))
        async with self._sessions.begin() as session:
            await session.execute(query)

    async def again(self, ids: Sequence[int], seconds: float, error: str, count: bool) -> None:
        """Back in the queue, first of its case, after `seconds`."""
        due = self._clock() + timedelta(seconds=seconds)
        await self._outbox.retry(ids, due, error, count=count)

    async def fail(self, ids: Sequence[int], error: str) -> None:
        """Give up on rows Telegram refuses for good, so the case's next ones can go."""
        await self._outbox.fail(ids, error)


class Deliver:
    """What the flow does with a batch of one case's rows (sends them; may raise)."""

    async def __call__(self, bot: Bot, rows: list[RelayRow]) -> None:
        raise NotImplementedError

    async def refused(self, bot: Bot, rows: list[RelayRow]) -> None:
        """The person blocked the bot (403); the flow may tell the counsellor."""


@dataclass
class RelayConfig:
    """Knobs; tests drive the monotonic clock and the sleep."""

    idle_s: float = 0.5
    # A row waits this long before it may go, so a message handled a moment later than the
    # one written after it (updates run concurrently) still takes its place in the order.
    grace_s: float = 0.3
    exclusive: bool = True
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep


class RelaySender:
    """Sends each case's head in order, one chat's messages within its Telegram limit.

    Into a group: up to 19 in any minute, in bursts (its own limit is 20 a minute); a 429
    holds that chat for retry_after.
    """

    def __init__(self, bot: Bot, queue: RelayQueue, vault: Vault, deliver: Deliver,
                 clock: Clock, limits: SendLimits, config: RelayConfig | None = None) -> None:
        self.bot, self.queue, self.vault, self.deliver = bot, queue, vault, deliver
        self.clock, self.limits = clock, limits
        self.config = config or RelayConfig()
        self.sent_total = 0

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
            await self.queue.done(ids)
            self.sent_total += len(ids)

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
