"""Turn due schedule rows (course, travel countdown) into outbox rows in bulk."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.course import CoursePlan, course_plan
from bot.content.store import ContentStore
from bot.proactive.countdown import OFFSETS, next_step
from bot.proactive.outbox import NewMessage, insert_ignoring_duplicates
from bot.storage.people import DEFAULT_NOTIFY, notify_modes
from bot.storage.schedules import COURSE, DONE, Due, Schedules, next_at_hour

CHUNK = 5000
Change = dict[str, Any]
# Due rows share a few (due time, hour, pace) triples: computing each once per job, not per
# row, took a tenth off enqueueing 100,000 rows.
_next_at_hour = lru_cache(maxsize=4096)(next_at_hour)


class Nudges:
    """The periodic job that fills the outbox from due schedules."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], content: ContentStore,
                 zone: ZoneInfo) -> None:
        self._sessions, self._content, self._zone = sessions, content, zone
        self._plans: dict[tuple[str, str | None], CoursePlan] = {}

    async def enqueue_due(self, now: datetime) -> int:
        """Queue one message per due schedule and move each schedule on; return how many."""
        total = 0
        while True:
            async with self._sessions.begin() as session:
                due = await Schedules(self._sessions).due(session, now, CHUNK)
                modes = await notify_modes(session, [d.row.person_key for d in due
                                                     if d.row.kind != COURSE])
                planned = [self._plan(d, now, modes) for d in due]
                messages = [m.row() for batch, _ in planned for m in batch]
                if messages:
                    await session.execute(insert_ignoring_duplicates(session), messages)
                await Schedules.advance(session, [change for _, change in planned])
            total += len(due)
            if len(due) < CHUNK:
                return total

    def _plan(self, due: Due, now: datetime,
              modes: dict[str, str]) -> tuple[list[NewMessage], Change]:
        if due.row.kind == COURSE:
            return self._plan_course(due, now)
        return self._plan_travel(due, now, modes.get(due.row.person_key, DEFAULT_NOTIFY))

    def _plan_course(self, due: Due, now: datetime) -> tuple[list[NewMessage], Change]:
        row = due.row
        plan = self._plan_of(row.age)
        if row.step >= len(plan.items):
            payload: dict[str, Any] = {"kind": "done", "age": row.age}
            return [self._message(due, "done", payload, now)], {"id": row.id, "status": DONE}
        payload = {"kind": "tip", "item": plan.items[row.step], "n": row.step + 1,
                   "total": len(plan.items)}
        later = _next_at_hour(max(now, row.next_due_at or now), row.hour, self._zone,
                              row.every_days)
        change = {"id": row.id, "step": row.step + 1, "next_due_at": later}
        messages = [self._message(due, str(row.step), payload, now)]
        if (quiz := plan.quizzes.get(row.step)) is not None:
            # The theme ends with this tip; its quiz follows (the sender keeps 1/s per chat).
            quiz_payload = {"kind": "quiz", "quiz": quiz}
            messages.append(self._message(due, f"q{row.step}", quiz_payload, now))
        return messages, change

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
