"""Due group sessions become outbox rows: reminders, then the tip and the attendance prompt.

The outbox keeps Telegram's 20 messages a minute per group. A group's rows name the group
(NewMessage.to_group); the sender looks up its chat id, which follows supergroup upgrades.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import Response, SendMessage, SendVenue, TelegramMethod
from aiogram.methods.base import TelegramType
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from bot.proactive.nudges import Nudges
from bot.proactive.outbox import Claimed, NewMessage, insert_ignoring_duplicates
from bot.proactive.sender import Rendered
from bot.runtime.clock import utc_now
from bot.storage.database import session_factory
from bot.storage.group_sessions import (
    FOLLOW_UP_AFTER,
    HELD,
    SCHEDULED,
    next_stage,
    offsets_of,
    rsvp_counts,
)
from bot.storage.groups import ACTIVE
from bot.storage.models import Group, GroupSession, Person
from dialogs.rsvp import Reminder, attendance_view, reminder_view
from dialogs.sessions import local

if TYPE_CHECKING:
    from bot.proactive.nudges import Proactive
    from bot.wiring import Services

log = logging.getLogger(__name__)
CAMPAIGN = "group"
JOB_INTERVAL_S = 60
BATCH = 500


# The sender draws each row and sends it in one task; the drawing notes the forum topic here
# and ForumThreads adds it to that task's sendMessage (the outbox's API has no topic field).
FORUM_THREAD: ContextVar[int | None] = ContextVar("forum_thread", default=None)


class ForumThreads(BaseRequestMiddleware):
    """Send a group reminder into the forum topic its sessions were set up in."""

    async def __call__(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                      method: TelegramMethod[TelegramType]) -> Response[TelegramType]:
        thread = FORUM_THREAD.get()
        if thread is not None and isinstance(method, SendMessage | SendVenue):
            method.message_thread_id = method.message_thread_id or thread
        return await make_request(bot, method)


class GroupNudges(Nudges):
    """The nudge renderer, plus the group messages (reminder, tip, attendance prompt)."""

    def render(self, row: Claimed) -> Rendered | None:
        """Group rows from their payload; everything else as before."""
        FORUM_THREAD.set(row.payload.get("thread") if row.campaign == CAMPAIGN else None)
        if row.campaign != CAMPAIGN:
            return super().render(row)
        content, t, p = self._content.current, self._locales.get(row.language), row.payload
        topic = content.topic("parenting", str(p.get("topic")))
        name = topic.title.get(t.language) if topic else str(p.get("topic"))
        when = local(datetime.fromisoformat(p["starts"]), self._zone)
        if p["kind"] == "reminder":
            reminder = Reminder(int(p["session"]), p["title"], name, when, p["place"])
            view = reminder_view(reminder, t, int(p["coming"]), int(p["missing"]))
        elif p["kind"] == "attendance":
            view = attendance_view(p["title"], when, int(p["session"]), t)
        elif p["kind"] == "pin":
            venue = {"latitude": float(p["lat"]), "longitude": float(p["lon"]),
                     "title": p["title"], "address": p["place"]}
            return Rendered("", venue=venue)
        elif topic is not None:
            item = topic.items[int(p["n"]) % len(topic.items)]
            text = t("rsvp-tip", topic=name, tip=item.text.get(t.language))
            return Rendered(text, None, (content.version, item.id))
        else:
            return None
        return Rendered(view.text, view.markup())


class GroupReminders:
    """The periodic job: sessions whose next step is due go to the outbox."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._sessions = session_factory(services.engine)

    async def enqueue_due(self) -> int:
        """Queue every due reminder or follow-up and move each session on; return how many."""
        now = self._services.clock()
        query = (select(GroupSession, Group.language, Group.thread_id)
                 .join(Group, Group.id == GroupSession.group_id)
                 .where(GroupSession.status == SCHEDULED, GroupSession.next_due_at <= now,
                        Group.status == ACTIVE)
                 .order_by(GroupSession.next_due_at).limit(BATCH))
        async with self._sessions.begin() as session:
            due = (await session.execute(query.with_for_update(skip_locked=True,
                                                               of=GroupSession))).all()
            counts = await rsvp_counts(session, [row.id for row, *_ in due])
            trainers = await self._trainers(session, [row.trainer_key for row, *_ in due])
            messages: list[NewMessage] = []
            for row, language, thread in due:
                if not self._catch_up(row, now):
                    continue
                messages += self._messages(row, language or "km", thread, counts, trainers, now)
                await session.execute(update(GroupSession).where(GroupSession.id == row.id)
                                      .values(**self._advance(row, now)))
            if messages:
                await session.execute(insert_ignoring_duplicates(session),
                                      [m.row() for m in messages])
        return len(due)

    @staticmethod
    async def _trainers(session: Any, keys: list[str]) -> dict[str, tuple[str, str | None]]:
        query = select(Person.key, Person.chat_id_enc, Person.language).where(
            Person.key.in_(keys), Person.blocked_at.is_(None))
        return {k: (enc, lang) for k, enc, lang in await session.execute(query)}

    def _messages(self, row: GroupSession, language: str, thread: int | None,
                  counts: dict[int, tuple[int, int]],
                  trainers: dict[str, tuple[str, str | None]],
                  now: datetime) -> list[NewMessage]:
        base = {"session": row.id, "title": row.title, "topic": row.topic,
                "starts": row.starts_at.isoformat(), "place": row.place, "thread": thread}
        step = f"{row.id}-{int(row.starts_at.timestamp())}-{row.stage}"
        if row.stage < len(offsets_of(row.reminders)):
            coming, missing = counts.get(row.id, (0, 0))
            payload = {**base, "kind": "reminder", "coming": coming, "missing": missing}
            return self._reminder(row, step, language, payload, now)
        tip = {**base, "kind": "tip", "n": row.id}
        out = [NewMessage.to_group(row.group_id, CAMPAIGN, step, language, tip, now)]
        if row.trainer_key in trainers:
            t_enc, t_lang = trainers[row.trainer_key]
            private = {**base, "kind": "attendance", "thread": None}
            out.append(NewMessage(row.trainer_key, CAMPAIGN, f"{row.id}-attendance", t_enc,
                                  t_lang or language, private, now))
        return out

    @staticmethod
    def _reminder(row: GroupSession, step: str, language: str, payload: dict[str, Any],
                  now: datetime) -> list[NewMessage]:
        """The reminder, and the place's pin queued after it: the group's spacing sends it next."""
        out = [NewMessage.to_group(row.group_id, CAMPAIGN, step, language, payload, now)]
        if row.latitude is not None and row.longitude is not None:
            pin = {**payload, "kind": "pin", "lat": row.latitude, "lon": row.longitude}
            out.append(NewMessage.to_group(row.group_id, CAMPAIGN, f"{step}-pin", language, pin,
                                           now))
        return out

    @staticmethod
    def _catch_up(row: GroupSession, now: datetime) -> bool:
        """Skip reminders of a session that already began; False when nothing is due yet."""
        if row.stage < len(offsets_of(row.reminders)) and now >= row.starts_at:
            row.stage = len(offsets_of(row.reminders))
            row.next_due_at = row.starts_at + FOLLOW_UP_AFTER
        return row.next_due_at is not None and row.next_due_at <= now

    @staticmethod
    def _advance(row: GroupSession, now: datetime) -> dict[str, Any]:
        if row.stage >= len(offsets_of(row.reminders)):
            return {"status": HELD, "next_due_at": None}
        stage, due = next_stage(row, row.stage + 1, now)
        return {"stage": stage, "next_due_at": due}

    async def job(self) -> int:
        """The scheduler's entry point: never raises on a database hiccup."""
        try:
            return await self.enqueue_due()
        except (SQLAlchemyError, OSError):
            log.warning("could not queue group reminders; the next run tries again", exc_info=True)
            return 0


def attach(proactive: Proactive) -> GroupReminders:
    """Teach the sender to draw group messages; return the job that queues them."""
    services = proactive.services
    proactive.nudges = GroupNudges(session_factory(services.engine), services.content,
                                   services.locales, services.settings.timezone)
    return GroupReminders(services)


def start(reminders: GroupReminders, scheduler: AsyncIOScheduler, bot: Bot) -> None:
    """Add the periodic job (in-memory store, re-added at every start); topics in forums."""
    if not any(isinstance(m, ForumThreads) for m in bot.session.middleware):
        bot.session.middleware(ForumThreads())
    scheduler.add_job(reminders.job, "interval", seconds=JOB_INTERVAL_S, id="group-reminders",
                      # APScheduler runs on real time, whatever clock the rows use.
                      replace_existing=True, next_run_time=utc_now())
