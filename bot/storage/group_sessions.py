"""Group sessions (one row per date) and RSVPs (docs/groups.md); groups are in groups.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.runtime.clock import Clock
from bot.storage.models import GroupSession, SessionRsvp
from bot.storage.vault import Vault

SCHEDULED, CANCELLED, HELD = "scheduled", "cancelled", "held"
# What /sessions → Edit may change; times go through move(), which restarts the reminders.
EDITABLE = frozenset({"title", "topic", "place", "latitude", "longitude"})
# The trainer is asked about attendance, and the group gets the tip, this long after the start.
FOLLOW_UP_AFTER = timedelta(hours=2)


@dataclass(frozen=True)
class Plan:
    """What a trainer chose in the /session dialog, before it becomes rows."""

    title: str
    topic: str
    starts_at: datetime
    place: str
    reminders: tuple[int, ...]  # minutes before the start
    weeks: int = 1
    latitude: float | None = None
    longitude: float | None = None


def next_stage(row: GroupSession, stage: int, now: datetime) -> tuple[int, datetime]:
    """The first reminder from `stage` still in the future, else the follow-up after the start."""
    offsets = offsets_of(row.reminders)
    for index in range(stage, len(offsets)):
        at = row.starts_at - timedelta(minutes=offsets[index])
        if at > now:
            return index, at
    return len(offsets), row.starts_at + FOLLOW_UP_AFTER


def offsets_of(reminders: str) -> list[int]:
    """Reminder offsets in minutes, earliest reminder first."""
    return sorted((int(m) for m in reminders.split(",") if m), reverse=True)


def trainer_context(trainer_key: str) -> bytes:
    """What a session's sealed trainer id is bound to: the row's trainer (role) key."""
    return f"trainer:{trainer_key}".encode()


class SessionStore:
    """The group_sessions and session_rsvps tables."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock,
                 vault: Vault) -> None:
        self._sessions, self._clock, self._vault = sessions, clock, vault

    async def add(self, group_id: int, trainer_id: int, plan: Plan) -> list[GroupSession]:
        """Store one session per week of the plan; the first one's id names the series."""
        trainer_key = self._vault.role_key(trainer_id)
        # The attendance prompt must reach the trainer's private chat, but a person key here
        # would join the group to their private rows: their id is kept sealed instead.
        sealed = self._vault.encrypt(str(trainer_id).encode(), trainer_context(trainer_key))
        rows = [self._row(group_id, trainer_key, plan, week) for week in range(plan.weeks)]
        for row in rows:
            row.trainer_id_enc = sealed
        async with self._sessions.begin() as session:
            session.add_all(rows)
            await session.flush()
            for row in rows:
                row.series_id = rows[0].id
        return rows

    def _row(self, group_id: int, trainer_key: str, plan: Plan, week: int) -> GroupSession:
        row = GroupSession(
            group_id=group_id, title=plan.title, topic=plan.topic, place=plan.place,
            starts_at=plan.starts_at + timedelta(weeks=week), latitude=plan.latitude,
            longitude=plan.longitude, reminders=",".join(map(str, plan.reminders)),
            status=SCHEDULED, trainer_key=trainer_key)
        row.stage, row.next_due_at = next_stage(row, 0, self._clock())
        return row

    async def get(self, session_id: int) -> GroupSession | None:
        """One session by id."""
        async with self._sessions() as session:
            return await session.get(GroupSession, session_id)

    async def upcoming(self, group_id: int, limit: int = 8) -> list[GroupSession]:
        """The group's scheduled sessions that have not started yet, soonest first."""
        query = (select(GroupSession).where(GroupSession.group_id == group_id,
                                            GroupSession.status == SCHEDULED,
                                            GroupSession.starts_at > self._clock())
                 .order_by(GroupSession.starts_at).limit(limit))
        async with self._sessions() as session:
            return list((await session.execute(query)).scalars())

    async def last(self, group_id: int) -> GroupSession | None:
        """The group's latest session not cancelled (held, or the last date scheduled): the
        /session form offers to schedule the next one like it."""
        query = (select(GroupSession).where(GroupSession.group_id == group_id,
                                            GroupSession.status != CANCELLED)
                 .order_by(GroupSession.starts_at.desc()).limit(1))
        async with self._sessions() as session:
            return (await session.execute(query)).scalars().first()

    async def cancel(self, session_id: int) -> None:
        """Cancel one date: no more reminders for it."""
        await self.change(session_id, status=CANCELLED, next_due_at=None)

    async def move(self, row: GroupSession, starts_at: datetime) -> None:
        """Move one date; its reminders start over from the new time."""
        row.starts_at = starts_at
        stage, due = next_stage(row, 0, self._clock())
        await self.change(row.id, starts_at=starts_at, stage=stage, next_due_at=due)

    async def series_from(self, row: GroupSession) -> list[GroupSession]:
        """This date and the later scheduled dates of its series, soonest first."""
        if row.series_id is None:
            return [row]
        query = (select(GroupSession).where(GroupSession.series_id == row.series_id,
                                            GroupSession.status == SCHEDULED,
                                            GroupSession.starts_at >= row.starts_at)
                 .order_by(GroupSession.starts_at))
        async with self._sessions() as session:
            return list((await session.execute(query)).scalars())

    async def edit(self, row: GroupSession, values: dict[str, Any], *,
                   later: bool) -> list[GroupSession]:
        """Change title, topic or place of one date (or of it and its series' later dates)."""
        if not values.keys() <= EDITABLE:
            raise ValueError(f"not editable: {sorted(values.keys() - EDITABLE)}")
        ids = [r.id for r in await self.series_from(row)] if later else [row.id]
        async with self._sessions.begin() as session:
            await session.execute(update(GroupSession).where(GroupSession.id.in_(ids))
                                  .values(**values))
        query = select(GroupSession).where(GroupSession.id.in_(ids)).order_by(
            GroupSession.starts_at)
        async with self._sessions() as session:
            return list((await session.execute(query)).scalars())

    async def change(self, session_id: int, **values: Any) -> None:
        """Update one session's columns."""
        async with self._sessions.begin() as session:
            await session.execute(update(GroupSession).where(GroupSession.id == session_id)
                                  .values(**values))

    async def rsvp(self, session_id: int, person_key: str, coming: bool) -> tuple[int, int]:
        """Record (or change) one member's answer; return the counts (coming, not coming)."""
        async with self._sessions.begin() as session:
            query = select(SessionRsvp).where(SessionRsvp.session_id == session_id,
                                              SessionRsvp.person_key == person_key)
            found = (await session.execute(query)).scalar_one_or_none()
            if found is None:
                session.add(SessionRsvp(session_id=session_id, person_key=person_key,
                                        coming=coming))
            else:
                found.coming = coming
        return (await self.counts([session_id])).get(session_id, (0, 0))

    async def counts(self, ids: Sequence[int]) -> dict[int, tuple[int, int]]:
        """RSVP counts (coming, not coming) by session id."""
        async with self._sessions() as session:
            return await rsvp_counts(session, ids)


async def rsvp_counts(session: AsyncSession, ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """RSVP counts (coming, not coming) by session id, inside a caller's session."""
    coming = func.sum(case((SessionRsvp.coming, 1), else_=0))
    query = (select(SessionRsvp.session_id, coming, func.count())
             .where(SessionRsvp.session_id.in_(list(ids))).group_by(SessionRsvp.session_id))
    return {sid: (int(yes or 0), int(n) - int(yes or 0))
            for sid, yes, n in await session.execute(query)}
