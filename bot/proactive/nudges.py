"""Turn due schedule rows into outbox rows in bulk, and outbox rows back into messages."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from aiogram import Bot
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.i18n import Locales
from bot.content.store import ContentStore
from bot.proactive.outbox import Claimed, NewMessage, insert_ignoring_duplicates
from bot.proactive.quiet import QuietHours
from bot.proactive.sender import Rendered, Sender, SenderConfig
from bot.runtime.clock import utc_now
from bot.storage.database import session_factory
from bot.storage.people import notify_modes
from bot.storage.schedules import COURSE, DONE, Due, Schedules, next_at_hour
from dialogs import course, discreet, travel
from dialogs.browse import quiz_poll
from dialogs.callbacks import ReadCb
from dialogs.course_plan import CoursePlan, course_plan
from dialogs.discreet import DISCREET
from dialogs.text import escape

if TYPE_CHECKING:
    from bot.wiring import Services

log = logging.getLogger(__name__)
CHUNK = 5000
JOB_INTERVAL_S = 60
Change = dict[str, Any]


class Nudges:
    """The periodic job that fills the outbox from schedules, and the message renderer."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], content: ContentStore,
                 locales: Locales, zone: ZoneInfo) -> None:
        self._sessions, self._content, self._locales, self._zone = sessions, content, locales, zone
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
        return self._plan_travel(due, now, modes.get(due.row.person_key, DISCREET))

    def _plan_course(self, due: Due, now: datetime) -> tuple[list[NewMessage], Change]:
        row = due.row
        plan = self._plan_of(row.age)
        if row.step >= len(plan.items):
            payload: dict[str, Any] = {"kind": "done", "age": row.age}
            return [self._message(due, "done", payload, now)], {"id": row.id, "status": DONE}
        payload = {"kind": "tip", "item": plan.items[row.step], "n": row.step + 1,
                   "total": len(plan.items)}
        later = next_at_hour(max(now, row.next_due_at or now), row.hour, self._zone,
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
        if row.travel_date is None or row.step >= len(travel.OFFSETS):
            return [], {"id": row.id, "status": DONE}
        offset = travel.OFFSETS[row.step]
        # The look is chosen now: rendering at send time has no database to ask.
        payload = {"kind": "travel", "offset": offset, "dest": row.destination,
                   "date": row.travel_date.isoformat(), "notify": mode}
        nxt = travel.next_step(row.travel_date, row.step + 1, now, self._zone)
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

    def render(self, row: Claimed) -> Rendered | None:
        """The message for an outbox row, in the person's language, from current content."""
        content, t = self._content.current, self._locales.get(row.language)
        kind = row.payload.get("kind")
        if kind == "tip":
            item = content.item(str(row.payload["item"]))
            if item is None:
                return None
            view = course.tip_view(item, t, int(row.payload["n"]), int(row.payload["total"]))
            return Rendered(view.text, view.markup(), (content.version, item.id))
        if kind == "done":
            view = course.done_view(t, row.payload.get("age"))
            return Rendered(view.text, view.markup())
        if kind == "quiz" and (quiz := content.quiz(str(row.payload["quiz"]))):
            poll = quiz_poll(quiz, t.language)
            return Rendered(escape(poll["question"]), None, (content.version, quiz.id), poll)
        if kind == "travel":
            view = discreet.present(travel.reminder_view(content, t, row.payload), t,
                                    str(row.payload.get("notify", DISCREET)),
                                    ReadCb(kind=discreet.TRAVEL, ref=_travel_ref(row.payload)))
            return Rendered(view.text, view.markup())
        if kind == "item" and (item := content.item(str(row.payload["item"]))):
            return Rendered(escape(item.text.get(t.language)), None, (content.version, item.id))
        return None


def _travel_ref(payload: dict[str, Any]) -> str:
    """What a Read button needs to re-render a travel message: offset and destination."""
    return f"{payload['offset']}.{payload.get('dest') or ''}"


class Proactive:
    """The nudge job and the in-process sender, started and stopped with the bot."""

    def __init__(self, services: Services) -> None:
        self.services = services
        sessions = session_factory(services.engine)
        settings = services.settings
        self.nudges = Nudges(sessions, services.content, services.locales, settings.timezone)
        self.quiet = QuietHours(settings.quiet_start_hour, settings.quiet_end_hour,
                                settings.timezone)
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self, bot: Bot, scheduler: AsyncIOScheduler) -> None:
        """Add the periodic job and start sending from the outbox."""
        scheduler.add_job(self.enqueue, "interval", seconds=JOB_INTERVAL_S, id="nudges",
                          # APScheduler runs on real time, whatever clock the rows use.
                          replace_existing=True, next_run_time=utc_now())
        if self.services.settings.outbox_sender:
            self._task = asyncio.create_task(self.sender(bot).run(self._stop))

    def sender(self, bot: Bot, **overrides: Any) -> Sender:
        """A sender on this bot; SQLite has one sender, PostgreSQL may have several."""
        s = self.services
        sole = s.engine.dialect.name == "sqlite"
        options = {"paid": s.settings.allow_paid_broadcast, "exclusive": sole, **overrides}
        config = SenderConfig(**options)
        return Sender(bot, s.outbox, s.people, s.vault, self.nudges.render, s.clock,
                      self.quiet, config)

    async def enqueue(self) -> int:
        """The periodic job: due schedules become outbox rows."""
        try:
            return await self.nudges.enqueue_due(self.services.clock())
        except (SQLAlchemyError, OSError):
            log.warning("could not queue due nudges; the next run tries again", exc_info=True)
            return 0

    async def stop(self) -> None:
        """Let the sender finish its batch and stop."""
        self._stop.set()
        if self._task is not None:
            await self._task
