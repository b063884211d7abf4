"""Outbox rows: enqueue idempotently, claim without double-claiming, settle the outcome."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.groups import PAUSED
from bot.storage.models import Delivery, Group, OutboxRow, TrailState

PENDING, SENDING, SENT, FAILED, CANCELLED = "pending", "sending", "sent", "failed", "cancelled"
# The counsellor relay's rows (campaign `relay:<case id>`) have their own ordered sender
# (bot/proactive/relay.py); the general sender leaves them alone.
RELAY = "relay:"
# A claimed row whose sender died is claimed again once its lease ends.
DEFAULT_LEASE = timedelta(seconds=120)
_COLUMNS = (OutboxRow.id, OutboxRow.person_key, OutboxRow.campaign, OutboxRow.step,
            OutboxRow.chat_id_enc, OutboxRow.language, OutboxRow.payload,
            OutboxRow.attempts, OutboxRow.paid, OutboxRow.group_id)


@dataclass(frozen=True)
class Backlog:
    """What waits in the outbox (for /metrics): counts and the oldest due row's age."""

    proactive: int
    relay: int
    oldest_due_s: float


@dataclass(frozen=True)
class NewMessage:
    """A message to send later; (recipient, campaign, step) makes it happen at most once.

    The recipient is a person (person_key and their encrypted chat id) or a group (group_id).
    """

    person_key: str | None
    campaign: str
    step: str
    chat_id_enc: str | None
    language: str
    payload: dict[str, Any]
    due_at: datetime
    paid: bool = False
    group_id: int | None = None

    @classmethod
    def to_group(cls, group_id: int, campaign: str, step: str, language: str,
                 payload: dict[str, Any], due_at: datetime) -> NewMessage:
        """A message for a group, addressed by its row id (its chat id may change)."""
        return cls(None, campaign, step, None, language, payload, due_at, group_id=group_id)

    def row(self) -> dict[str, Any]:
        """The column values of a new pending row."""
        return {"person_key": self.person_key, "group_id": self.group_id,
                "campaign": self.campaign, "step": self.step,
                "chat_id_enc": self.chat_id_enc, "language": self.language,
                "payload": json.dumps(self.payload), "status": PENDING, "due_at": self.due_at,
                "attempts": 0, "paid": self.paid}


@dataclass(frozen=True)
class Claimed:
    """A row this sender holds until it settles it or its lease ends."""

    id: int
    person_key: str | None
    campaign: str
    step: str
    chat_id_enc: str | None
    language: str
    payload: dict[str, Any] = field(hash=False)
    attempts: int
    paid: bool
    group_id: int | None = None
    group_chat_id: int | None = None  # the group's chat id when the row was claimed
    # The person hid the chat and has not opened Sokh since: send only the neutral line.
    hidden: bool = False


def insert_ignoring_duplicates(session: AsyncSession) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING in the session's dialect."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    # No conflict target: a person's key and a group's key are two unique constraints.
    # The table, not the entity: the ORM's per-row bookkeeping was a sixth of the nudge job.
    return dialect.insert(OutboxRow.__table__).on_conflict_do_nothing()


class Outbox:
    """The outbox table; safe for several senders on PostgreSQL, one on SQLite."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession],
                 lease: timedelta = DEFAULT_LEASE) -> None:
        self._sessions, self._lease = sessions, lease

    async def backlog(self, now: datetime) -> Backlog:
        """Unsent rows (pending or being sent), proactive and relay, and the oldest due's age."""
        unsent = OutboxRow.status.in_((PENDING, SENDING))
        relay = OutboxRow.campaign.startswith(RELAY)
        query = select(func.count().filter(~relay), func.count().filter(relay),
                       func.min(OutboxRow.due_at).filter(OutboxRow.due_at <= now)).where(unsent)
        async with self._sessions() as session:
            proactive, relayed, oldest = (await session.execute(query)).one()
        age = max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0
        return Backlog(int(proactive), int(relayed), age)

    async def enqueue(self, messages: Sequence[NewMessage]) -> None:
        """Add messages; one already queued under the same key is left as it is."""
        if not messages:
            return
        async with self._sessions.begin() as session:
            await session.execute(insert_ignoring_duplicates(session),
                                  [m.row() for m in messages])

    async def claim(self, now: datetime, limit: int) -> list[Claimed]:
        """Take up to `limit` due rows (FOR UPDATE SKIP LOCKED on PostgreSQL)."""
        due = or_(and_(OutboxRow.status == PENDING, OutboxRow.due_at <= now),
                  and_(OutboxRow.status == SENDING, OutboxRow.lease_until < now))
        # SQLite ignores FOR UPDATE; there its single writer makes UPDATE ... RETURNING atomic.
        mine = ~OutboxRow.campaign.startswith(RELAY)
        pick = (select(OutboxRow.id).where(due, mine).order_by(OutboxRow.due_at, OutboxRow.id)
                .limit(limit).with_for_update(skip_locked=True))
        claim = (update(OutboxRow).where(OutboxRow.id.in_(pick.scalar_subquery()))
                 .values(status=SENDING, lease_until=now + self._lease).returning(*_COLUMNS)
                 .execution_options(synchronize_session=False))
        async with self._sessions.begin() as session:
            rows = (await session.execute(claim)).all()
            chats = await _group_chats(session, {row[9] for row in rows if row[9] is not None})
            hidden = await _hidden_people(session, {row[1] for row in rows if row[1]})
        claimed = [Claimed(*row[:6], json.loads(row[6]), row[7], row[8], row[9],
                           chats.get(row[9]), row[1] in hidden) for row in rows]
        return sorted(claimed, key=lambda c: c.id)

    async def row(self, row_id: int) -> Claimed | None:
        """One row as it was queued, whatever its status (a Read button renders it again)."""
        query = select(*_COLUMNS).where(OutboxRow.id == row_id)
        async with self._sessions() as session:
            found = (await session.execute(query)).first()
        if found is None:
            return None
        return Claimed(*found[:6], json.loads(found[6]), found[7], found[8], found[9])

    async def mark_sent(self, ids: Sequence[int], now: datetime,
                        deliveries: Sequence[tuple[str, str, str]] = ()) -> None:
        """Confirm sends and record delivered content items (person, version, item)."""
        async with self._sessions.begin() as session:
            await self._set(session, ids, status=SENT, sent_at=now, lease_until=None)
            if deliveries:
                await session.execute(insert(Delivery), [
                    {"person_key": k, "content_version": v, "item_id": i, "delivered_at": now}
                    for k, v, i in deliveries])

    async def retry(self, ids: Sequence[int], due_at: datetime, error: str,
                    *, count: bool = True) -> None:
        """Put rows back to wait until `due_at`; `count` adds a failed attempt."""
        values: dict[str, Any] = {"status": PENDING, "due_at": due_at, "lease_until": None,
                                  "error": error[:80]}
        if count:
            values["attempts"] = OutboxRow.attempts + 1
        async with self._sessions.begin() as session:
            await self._set(session, ids, **values)

    async def fail(self, ids: Sequence[int], error: str) -> None:
        """Give up on rows for good."""
        async with self._sessions.begin() as session:
            await self._set(session, ids, status=FAILED, lease_until=None, error=error[:80])

    async def cancel_person(self, person_key: str, campaign: str | None = None) -> None:
        """Cancel what still waits for a person (blocked, or stopped one campaign)."""
        waiting = OutboxRow.status.in_((PENDING, SENDING))
        query = update(OutboxRow).where(OutboxRow.person_key == person_key, waiting)
        if campaign is not None:
            query = query.where(OutboxRow.campaign == campaign)
        else:  # what a person wrote to a counsellor still reaches the counsellor
            query = query.where(~OutboxRow.campaign.startswith(RELAY))
        async with self._sessions.begin() as session:
            await session.execute(query.values(status=CANCELLED, lease_until=None))

    async def pause_group(self, group_id: int) -> None:
        """The bot is no longer in a group (403): pause its sessions, cancel what waits."""
        waiting = OutboxRow.status.in_((PENDING, SENDING))
        async with self._sessions.begin() as session:
            await session.execute(update(Group).where(Group.id == group_id).values(status=PAUSED))
            await session.execute(update(OutboxRow).where(OutboxRow.group_id == group_id, waiting)
                                  .values(status=CANCELLED, lease_until=None))

    async def recover(self) -> None:
        """Release every claimed row: only for a sole sender starting up (SQLite)."""
        query = update(OutboxRow).where(OutboxRow.status == SENDING,
                                        ~OutboxRow.campaign.startswith(RELAY))
        async with self._sessions.begin() as session:
            await session.execute(query.values(status=PENDING, lease_until=None))

    async def counts(self) -> dict[str, int]:
        """Rows by status, for tests, the bench and operators."""
        query = select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
        async with self._sessions() as session:
            return {status: int(n) for status, n in await session.execute(query)}

    @staticmethod
    async def _set(session: AsyncSession, ids: Sequence[int], **values: Any) -> None:
        if ids:
            query = update(OutboxRow).where(OutboxRow.id.in_(list(ids))).values(**values)
            await session.execute(query.execution_options(synchronize_session=False))


async def _hidden_people(session: AsyncSession, keys: set[str]) -> set[str]:
    """Among the claimed rows' people, those whose chat a hide veiled (docs/quick-exit.md)."""
    if not keys:
        return set()
    query = select(TrailState.person_key).where(TrailState.person_key.in_(keys),
                                                TrailState.hidden_at.is_not(None))
    return set((await session.scalars(query)).all())


async def _group_chats(session: AsyncSession, ids: set[int]) -> dict[int, int]:
    """The current chat id of each group among the claimed rows."""
    if not ids:
        return {}
    query = select(Group.id, Group.chat_id).where(Group.id.in_(ids))
    return {group_id: chat_id for group_id, chat_id in await session.execute(query)}
