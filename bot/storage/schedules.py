"""Per-person schedules (drip course, travel countdown) as rows due at next_due_at."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Table, bindparam, delete, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.models import Person, Schedule

ACTIVE, PAUSED, DONE = "active", "paused", "done"
COURSE, TRAVEL = "course", "travel"
TABLE: Table = Schedule.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class Shape:
    """Due schedules that send the same thing at the same pace: one age, step, hour, pace."""

    age: str | None
    step: int
    hour: int
    every_days: int
    ids: list[int]


@dataclass(frozen=True)
class Due:
    """A due schedule with what the outbox needs: the encrypted chat id and the language."""

    row: Any  # a schedules row: id, person_key, kind, step, next_due_at, hour, ...
    chat_id_enc: str
    language: str


def at_local_hour(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """`hour`:00 on `day` in `zone`, as an aware datetime."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=zone)


def next_at_hour(after: datetime, hour: int, zone: ZoneInfo, days: int = 0) -> datetime:
    """The first `hour`:00 local at least `days` days after `after`'s local date, and later."""
    local = after.astimezone(zone)
    due = at_local_hour(local.date() + timedelta(days=days), hour, zone)
    return due if due > after else due + timedelta(days=max(days, 1))


def still_due(now: datetime, kind: str) -> tuple[ColumnElement[bool], ...]:
    """Active schedules of one kind due by `now` (the person's side: `not_blocked`)."""
    return TABLE.c.kind == kind, TABLE.c.status == ACTIVE, TABLE.c.next_due_at <= now


def not_blocked() -> ColumnElement[bool]:
    """The schedule's person has not blocked the bot (for statements without the join)."""
    return exists().where(Person.key == TABLE.c.person_key, Person.blocked_at.is_(None))


class Schedules:
    """The schedules table."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def get(self, key: str, kind: str) -> Schedule | None:
        """A person's schedule of one kind, if any."""
        query = select(Schedule).where(Schedule.person_key == key, Schedule.kind == kind)
        async with self._sessions() as session:
            return (await session.execute(query)).scalar_one_or_none()

    async def replace(self, key: str, kind: str, **values: Any) -> Schedule:
        """Start a schedule afresh: a new row (and id), so old outbox keys never collide."""
        row = Schedule(**{"person_key": key, "kind": kind, "status": ACTIVE, "step": 0,
                          **values})
        async with self._sessions.begin() as session:
            await session.execute(
                delete(Schedule).where(Schedule.person_key == key, Schedule.kind == kind))
            session.add(row)
        return row

    async def change(self, key: str, kind: str, **values: Any) -> None:
        """Update a person's schedule of one kind."""
        query = update(Schedule).where(Schedule.person_key == key, Schedule.kind == kind)
        async with self._sessions.begin() as session:
            await session.execute(query.values(**values))

    async def remove(self, key: str, kind: str) -> None:
        """Drop a person's schedule of one kind."""
        query = delete(Schedule).where(Schedule.person_key == key, Schedule.kind == kind)
        async with self._sessions.begin() as session:
            await session.execute(query)

    @staticmethod
    async def due(session: AsyncSession, now: datetime, limit: int, kind: str) -> list[Due]:
        """Active schedules of one kind due by `now`, of people who have not blocked the bot."""
        # Plain rows, not ORM objects: the job reads thousands at a time.
        query = (
            select(TABLE, Person.chat_id_enc, Person.language)
            .join(Person, Person.key == TABLE.c.person_key)
            .where(*still_due(now, kind), Person.blocked_at.is_(None))
            .order_by(TABLE.c.next_due_at, TABLE.c.id).limit(limit)
            # Lock only the schedules: a person's row held by any write (a delivery's foreign
            # key check, last seen) would otherwise make their due schedule look taken.
            .with_for_update(skip_locked=True, of=TABLE)
        )
        result = await session.execute(query)
        return [Due(row, row.chat_id_enc, row.language or "km") for row in result]

    @staticmethod
    async def due_shapes(session: AsyncSession, now: datetime, limit: int,
                         kind: str) -> list[Shape]:
        """What `due` would return, locked the same way, grouped by shape with their ids.

        Only integers and short strings: no dates to convert, no chat ids to copy.
        """
        picked = (select(TABLE.c.id, TABLE.c.age, TABLE.c.step, TABLE.c.hour,
                         TABLE.c.every_days)
                  .join(Person, Person.key == TABLE.c.person_key)
                  .where(*still_due(now, kind), Person.blocked_at.is_(None))
                  .order_by(TABLE.c.next_due_at, TABLE.c.id).limit(limit)
                  .with_for_update(skip_locked=True, of=TABLE))
        if session.get_bind().dialect.name == "postgresql":
            # A few rows of id arrays, not 20,000 rows: reading rows was a tenth of the job.
            shapes = picked.cte("picked")
            grouped = (select(shapes.c.age, shapes.c.step, shapes.c.hour, shapes.c.every_days,
                              func.array_agg(shapes.c.id))
                       .group_by(shapes.c.age, shapes.c.step, shapes.c.hour,
                                 shapes.c.every_days))
            return [Shape(*row) for row in await session.execute(grouped)]
        found: dict[tuple[str | None, int, int, int], list[int]] = {}
        for row in await session.execute(picked):
            found.setdefault((row.age, row.step, row.hour, row.every_days), []).append(row.id)
        return [Shape(age, step, hour, every, ids)
                for (age, step, hour, every), ids in found.items()]

    @staticmethod
    async def advance(session: AsyncSession, changes: Sequence[dict[str, Any]]) -> None:
        """Bulk-update schedules by id (each dict has `id` and the new values)."""
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for change in changes:
            names = tuple(sorted(k for k in change if k != "id"))
            groups.setdefault(names, []).append({"_id": change["id"], **change})
        for names, rows in groups.items():
            values = {n: bindparam(n, type_=TABLE.c[n].type) for n in names}
            query = update(TABLE).where(TABLE.c.id == bindparam("_id")).values(values)
            await session.execute(query, rows)
