"""The counsellor relay's rows in the outbox table: put, find each case's head, claim, settle.

Relay rows use the campaign `relay:<case id>:<in|out>`; the general outbox sender leaves
them alone. Within one campaign rows are sent in `step` order (the Telegram message id they
come from), and only the first unsent one (the head) may go.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from bot.proactive.outbox import PENDING, RELAY, SENDING, SENT, NewMessage, Outbox
from bot.runtime.clock import Clock
from bot.storage.models import OutboxRow

LEASE = timedelta(seconds=60)


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
    due_at: datetime | None = None  # when it was queued (or, after a failure, due again)

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
            OutboxRow.language, OutboxRow.payload, OutboxRow.attempts, OutboxRow.step,
            OutboxRow.due_at)


def _row(values: Sequence[Any]) -> RelayRow:
    case_id = int(str(values[1])[len(RELAY):].partition(":")[0])
    return RelayRow(values[0], case_id, values[2], values[3], values[4],
                    json.loads(values[5]), values[6], values[1], values[7], values[8])


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
