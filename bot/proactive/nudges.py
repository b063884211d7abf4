"""Turn due schedule rows (course, travel countdown) into outbox rows in bulk.

Course tips are built in SQL: one INSERT ... SELECT per chunk joins the due schedules to
their people and to the course plan (a VALUES table of the few (age, step) pairs due), so
100,000 due rows never become Python objects: the chat id is copied still encrypted from
`people`, as before. Travel reminders are few and each needs date arithmetic: those are
planned one by one.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ARRAY,
    BigInteger,
    ColumnElement,
    Integer,
    String,
    Text,
    and_,
    any_,
    case,
    cast,
    column,
    false,
    func,
    literal,
    or_,
    select,
    tuple_,
    update,
    values,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.course import CoursePlan, course_plan
from bot.content.store import ContentStore
from bot.proactive.countdown import OFFSETS, next_step
from bot.proactive.outbox import PENDING, NewMessage, insert_ignoring_duplicates
from bot.storage.models import Person, UTCDateTime
from bot.storage.people import DEFAULT_NOTIFY, notify_modes
from bot.storage.schedules import (
    COURSE,
    DONE,
    TABLE,
    TRAVEL,
    Due,
    Schedules,
    Shape,
    next_at_hour,
    not_blocked,
    still_due,
)

CHUNK = 5000  # travel schedules, planned one by one
# Course schedules per transaction on SQLite: each statement binds every id of the chunk,
# and SQLite caps the parameters of one statement at 32,766.
COURSE_CHUNK = 20_000
# PostgreSQL binds the ids as one array, so no cap: fewer, larger chunks. Each pick walks
# the due index over the rows earlier chunks moved (dead until vacuum): 50,000 a chunk took
# 100,000 due rows from 3.2 s to 2.5 s, and a crash still repeats at most one chunk.
COURSE_CHUNK_POSTGRES = 50_000
# PostgreSQL does a chunk's work in its own backend process, one core each: two chunks at a
# time on two connections (the pick's SKIP LOCKED keeps them apart) took 100,000 due rows
# from 3.0-4.3 s to 2.0-2.6 s on two cores (four runs each, alternating). SQLite writes one
# transaction at a time: one there.
COURSE_WORKERS_POSTGRES = 2
Change = dict[str, Any]
PlanRow = tuple[str, int, str, str]  # age ("" for none), step, key suffix, JSON payload
_OUTBOX_COLUMNS = ("person_key", "campaign", "step", "chat_id_enc", "language", "payload",
                   "status", "due_at", "attempts", "paid")


class Nudges:
    """The periodic job that fills the outbox from due schedules."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], content: ContentStore,
                 zone: ZoneInfo) -> None:
        self._sessions, self._content, self._zone = sessions, content, zone
        self._plans: dict[tuple[str, str | None], CoursePlan] = {}

    async def enqueue_due(self, now: datetime) -> int:
        """Queue what each due schedule sends and move each schedule on; return how many."""
        return await self._enqueue_courses(now) + await self._enqueue_travel(now)

    async def _enqueue_courses(self, now: datetime) -> int:
        async with self._sessions() as session:  # no connection: only which database
            postgres = session.get_bind().dialect.name == "postgresql"
        if not postgres:
            return await self._course_chunks(now, COURSE_CHUNK)
        async with asyncio.TaskGroup() as workers:
            runs = [workers.create_task(self._course_chunks(now, COURSE_CHUNK_POSTGRES))
                    for _ in range(COURSE_WORKERS_POSTGRES)]
        return sum(run.result() for run in runs)

    async def _course_chunks(self, now: datetime, limit: int) -> int:
        """Queue due course schedules chunk by chunk until a chunk comes back short."""
        total = 0
        while True:
            # One transaction per chunk: a crash repeats a chunk at most, and the outbox's
            # unique key makes the repeat a no-op.
            async with self._sessions.begin() as session:
                due = await Schedules.due_shapes(session, now, limit, COURSE)
                if due:
                    total += await self._course_chunk(session, due, now)
            if sum(len(shape.ids) for shape in due) < limit:
                return total

    async def _course_chunk(self, session: AsyncSession, due: list[Shape],
                            now: datetime) -> int:
        """Queue the chunk's tips, quizzes and celebrations; move its schedules on."""
        picked = _among(session, [i for shape in due for i in shape.ids])
        ages = {shape.age for shape in due}
        shapes = {(shape.age, shape.step) for shape in due}
        paces = {(shape.hour, shape.every_days) for shape in due}
        rows = [r for age, step in shapes for r in self._course_rows(age, step)]
        await session.execute(_insert_course_messages(session, picked, rows, now))
        # Only what the pick saw moves on: on SQLite (no row locks) a schedule changed between
        # the pick and the insert above is neither queued nor moved, and waits for the next run.
        moving = (picked, *still_due(now, COURSE), not_blocked(),
                  tuple_(func.coalesce(TABLE.c.age, ""), TABLE.c.step).in_(
                      [(age or "", step) for age, step in shapes]),
                  tuple_(TABLE.c.hour, TABLE.c.every_days).in_(paces))
        finished = or_(*(and_(func.coalesce(TABLE.c.age, "") == (age or ""),
                              TABLE.c.step >= len(self._plan_of(age).items)) for age in ages))
        # Due rows are all due by now, so the next time depends only on the hour and pace.
        later = case(*((and_(TABLE.c.hour == hour, TABLE.c.every_days == every),
                         literal(next_at_hour(now, hour, self._zone, every), UTCDateTime()))
                       for hour, every in paces),
                     else_=TABLE.c.next_due_at)
        # One statement for the finished and the moving: each pass costs a look-up per id.
        moved = await session.execute(update(TABLE).where(*moving).values(
            status=case((finished, DONE), else_=TABLE.c.status),
            step=case((finished, TABLE.c.step), else_=TABLE.c.step + 1),
            next_due_at=case((finished, TABLE.c.next_due_at), else_=later)))
        return int(moved.rowcount or 0)  # type: ignore[attr-defined]

    def _course_rows(self, age: str | None, step: int) -> Iterable[PlanRow]:
        """What a schedule at `step` of `age`'s course sends now (outbox key `<id>-<suffix>`)."""
        plan = self._plan_of(age)
        if step >= len(plan.items):
            yield age or "", step, "done", json.dumps({"kind": "done", "age": age})
            return
        tip = {"kind": "tip", "item": plan.items[step], "n": step + 1, "total": len(plan.items)}
        yield age or "", step, str(step), json.dumps(tip)
        if (quiz := plan.quizzes.get(step)) is not None:
            # The theme ends with this tip; its quiz follows (the sender keeps 1/s per chat).
            yield age or "", step, f"q{step}", json.dumps({"kind": "quiz", "quiz": quiz})

    async def _enqueue_travel(self, now: datetime) -> int:
        total = 0
        while True:
            async with self._sessions.begin() as session:
                due = await Schedules.due(session, now, CHUNK, TRAVEL)
                modes = await notify_modes(session, [d.row.person_key for d in due])
                planned = [self._plan_travel(d, now, modes.get(d.row.person_key,
                                                               DEFAULT_NOTIFY)) for d in due]
                messages = [m.row() for batch, _ in planned for m in batch]
                if messages:
                    await session.execute(insert_ignoring_duplicates(session), messages)
                await Schedules.advance(session, [change for _, change in planned])
            total += len(due)
            if len(due) < CHUNK:
                return total

    def _plan_travel(self, due: Due, now: datetime,
                     mode: str) -> tuple[list[NewMessage], Change]:
        row = due.row
        if row.travel_date is None or row.step >= len(OFFSETS):
            return [], {"id": row.id, "status": DONE}
        offset = OFFSETS[row.step]
        # The look is chosen now: rendering at send time has no database to ask.
        payload = {"kind": "travel", "offset": offset, "dest": row.destination,
                   "date": row.travel_date.isoformat(), "notify": mode}
        nxt = next_step(row.travel_date, row.step + 1, now, self._zone)
        change: Change = {"id": row.id, "step": nxt[0], "next_due_at": nxt[1]}
        if nxt[1] is None:
            change["status"] = DONE
        return [self._message(due, f"t{offset}", payload, now)], change

    def _message(self, due: Due, step: str, payload: dict[str, Any], now: datetime) -> NewMessage:
        return NewMessage(due.row.person_key, due.row.kind, f"{due.row.id}-{step}",
                          due.chat_id_enc, due.language, payload, now)

    def _plan_of(self, age: str | None) -> CoursePlan:
        content = self._content.current
        key = (content.version, age)
        if key not in self._plans:
            self._plans[key] = course_plan(content, age)
        return self._plans[key]


def _among(session: AsyncSession, ids: list[int]) -> ColumnElement[bool]:
    """`schedules.id` is one of `ids`: one array parameter on PostgreSQL, a list on SQLite."""
    if session.get_bind().dialect.name == "postgresql":
        # asyncpg prepares each statement: 20,000 parameters cost more than the statement.
        return TABLE.c.id == any_(literal(ids, ARRAY(BigInteger)))
    return TABLE.c.id.in_(ids)


def _insert_course_messages(session: AsyncSession, picked: Any, rows: list[PlanRow],
                            now: datetime) -> Any:
    """INSERT ... SELECT: one outbox row per (picked schedule, plan row of its age and step)."""
    plan = values(column("age", String), column("step", Integer), column("suffix", String),
                  column("payload", Text), name="plan").data(rows).cte("plan")
    source = (
        select(TABLE.c.person_key, literal(COURSE, String),
               cast(TABLE.c.id, String) + "-" + plan.c.suffix, Person.chat_id_enc,
               func.coalesce(Person.language, "km"), plan.c.payload, literal(PENDING, String),
               literal(now, UTCDateTime()), literal(0, Integer), false())
        .select_from(TABLE.join(Person, Person.key == TABLE.c.person_key)
                     .join(plan, and_(plan.c.age == func.coalesce(TABLE.c.age, ""),
                                      plan.c.step == TABLE.c.step)))
        .where(picked, *still_due(now, COURSE), Person.blocked_at.is_(None))
    )
    return insert_ignoring_duplicates(session).from_select(_OUTBOX_COLUMNS, source)
