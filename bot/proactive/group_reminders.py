"""Due group sessions become outbox rows: reminders, then the tip and the attendance prompt.

The outbox keeps Telegram's 20 messages a minute per group. A group's rows name the group
(NewMessage.to_group); the sender looks up its chat id, which follows supergroup upgrades.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.proactive.outbox import NewMessage, insert_ignoring_duplicates
from bot.runtime.clock import Clock
from bot.storage.group_sessions import (
    FOLLOW_UP_AFTER,
    HELD,
    SCHEDULED,
    next_stage,
    offsets_of,
    rsvp_counts,
    trainer_context,
)
from bot.storage.groups import ACTIVE
from bot.storage.models import Group, GroupSession, Person
from bot.storage.vault import Vault

log = logging.getLogger(__name__)
CAMPAIGN = "group"
# Per session id: the trainer's person key, encrypted chat id and chosen language.
Trainers = dict[int, tuple[str, str, str | None]]
BATCH = 500


class GroupReminders:
    """The periodic job: sessions whose next step is due go to the outbox."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock,
                 vault: Vault) -> None:
        self._sessions, self._clock, self._vault = sessions, clock, vault

    async def enqueue_due(self) -> int:
        """Queue every due reminder or follow-up and move each session on; return how many."""
        now = self._clock()
        query = (select(GroupSession, Group.language, Group.thread_id)
                 .join(Group, Group.id == GroupSession.group_id)
                 .where(GroupSession.status == SCHEDULED, GroupSession.next_due_at <= now,
                        Group.status == ACTIVE)
                 .order_by(GroupSession.next_due_at).limit(BATCH))
        async with self._sessions.begin() as session:
            due = (await session.execute(query.with_for_update(skip_locked=True,
                                                               of=GroupSession))).all()
            counts = await rsvp_counts(session, [row.id for row, *_ in due])
            trainers = await self._trainers(session, [row for row, *_ in due])
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

    def _trainer_key(self, row: GroupSession) -> str | None:
        """The trainer's person key, from the id the session keeps sealed (None if not kept)."""
        if row.trainer_id_enc is None:
            return None
        sealed = self._vault.decrypt(row.trainer_id_enc, trainer_context(row.trainer_key))
        return self._vault.person_key(int(sealed))

    async def _trainers(self, session: Any, rows: list[GroupSession]) -> Trainers:
        """Per session id: the trainer's person key, encrypted chat id and language."""
        keys = {row.id: key for row in rows if (key := self._trainer_key(row)) is not None}
        query = select(Person.key, Person.chat_id_enc, Person.language).where(
            Person.key.in_(set(keys.values())), Person.blocked_at.is_(None))
        found = {k: (enc, lang) for k, enc, lang in await session.execute(query)}
        return {row_id: (key, *found[key]) for row_id, key in keys.items() if key in found}

    def _messages(self, row: GroupSession, language: str, thread: int | None,
                  counts: dict[int, tuple[int, int]],
                  trainers: Trainers, now: datetime) -> list[NewMessage]:
        base = {"session": row.id, "title": row.title, "topic": row.topic,
                "starts": row.starts_at.isoformat(), "place": row.place, "thread": thread}
        step = f"{row.id}-{int(row.starts_at.timestamp())}-{row.stage}"
        if row.stage < len(offsets_of(row.reminders)):
            coming, missing = counts.get(row.id, (0, 0))
            payload = {**base, "kind": "reminder", "coming": coming, "missing": missing}
            return self._reminder(row, step, language, payload, now)
        tip = {**base, "kind": "tip", "n": row.id}
        out = [NewMessage.to_group(row.group_id, CAMPAIGN, step, language, tip, now)]
        if row.id in trainers:
            t_key, t_enc, t_lang = trainers[row.id]
            private = {**base, "kind": "attendance", "thread": None}
            out.append(NewMessage(t_key, CAMPAIGN, f"{row.id}-attendance", t_enc,
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
