"""The queue of purged cases' forum topics still to delete (docs/counsellor.md, retention).

A case's rows go at once; its copies in the counsellors' Telegram forum go when Telegram
agrees. The queue keeps what that takes (the group, the topic, the case's forum message
ids, encrypted) and no person key, so /forget cannot erase the job of erasing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.runtime.clock import Clock
from bot.storage.models import Case, CaseForumMessage, ForumCleanup
from bot.storage.vault import Vault

FIRST_RETRY = timedelta(minutes=1)
LAST_RETRY = timedelta(hours=6)  # the backoff doubles up to this, then retries at this pace


@dataclass(frozen=True)
class Cleanup:
    """One topic to delete: where, and the messages to delete one by one if that fails."""

    id: int
    chat_id: int
    topic_id: int | None
    message_ids: tuple[int, ...]
    attempts: int


def backoff(attempts: int) -> timedelta:
    """How long to wait after `attempts` failures: 1 min, 2, 4 … up to 6 h."""
    later: timedelta = FIRST_RETRY * 2 ** max(attempts - 1, 0)
    return min(later, LAST_RETRY)


CLEANUP_CONTEXT = b"forum-cleanup"  # what sealed the ids of a topic queued for deletion


def forum_context(case_id: int) -> bytes:
    """What seals the id of one message a case left in its forum topic."""
    return f"forum:{case_id}".encode()


class ForumCleanups:
    """Queues, hands out and settles forum cleanups."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], vault: Vault, clock: Clock):
        self._sessions, self._vault, self._clock = sessions, vault, clock

    def sealed_id(self, case_id: int, message_id: int) -> CaseForumMessage:
        """A forum message id of a case, as stored: encrypted and bound to the case."""
        token = self._vault.encrypt(str(message_id).encode(), forum_context(case_id))
        return CaseForumMessage(case_id=case_id, message_id_enc=token)

    async def queue(self, session: AsyncSession, cases: list[Case],
                    chat_id: int | None) -> list[int]:
        """In the caller's transaction: queue each case's topic and drop its id rows.

        A case names its own group; `chat_id` is for cases from before there were several.
        """
        cases = [c for c in cases if c.forum_id is not None or chat_id is not None]
        if not cases:
            return []
        ids = [case.id for case in cases]
        query = select(CaseForumMessage).where(CaseForumMessage.case_id.in_(ids))
        rows = (await session.scalars(query.order_by(CaseForumMessage.id))).all()
        queued = [self._row(case, chat_id, [r for r in rows if r.case_id == case.id])
                  for case in cases]
        session.add_all(queued)
        await session.execute(delete(CaseForumMessage).where(CaseForumMessage.case_id.in_(ids)))
        await session.flush()
        return [row.id for row in queued]

    def _row(self, case: Case, chat_id: int | None, rows: list[CaseForumMessage]) -> ForumCleanup:
        message_ids = [int(self._vault.decrypt(r.message_id_enc, forum_context(case.id)))
                       for r in rows]
        if case.announce_id is not None:
            message_ids.append(case.announce_id)  # in General, outside the topic
        sealed = self._vault.encrypt(json.dumps(message_ids).encode(), CLEANUP_CONTEXT)
        group = case.forum_id if case.forum_id is not None else chat_id
        assert group is not None  # filtered in queue()
        return ForumCleanup(chat_id=group, topic_id=case.topic_id, ids_enc=sealed,
                            attempts=0, next_try_at=self._clock())

    async def due(self, limit: int = 20, only: list[int] | None = None) -> list[Cleanup]:
        """Cleanups whose time has come (or just these), oldest first."""
        query = select(ForumCleanup).where(ForumCleanup.next_try_at <= self._clock())
        if only is not None:
            query = select(ForumCleanup).where(ForumCleanup.id.in_(only))
        async with self._sessions() as session:
            rows = (await session.scalars(query.order_by(ForumCleanup.id).limit(limit))).all()
        return [self._cleanup(row) for row in rows]

    def _cleanup(self, row: ForumCleanup) -> Cleanup:
        ids = json.loads(self._vault.decrypt(row.ids_enc, CLEANUP_CONTEXT))
        return Cleanup(row.id, row.chat_id, row.topic_id, tuple(ids), row.attempts)

    async def done(self, cleanup_id: int) -> None:
        """The topic and its copies are gone: forget the job."""
        async with self._sessions.begin() as session:
            await session.execute(delete(ForumCleanup).where(ForumCleanup.id == cleanup_id))

    async def failed(self, cleanup: Cleanup, remaining: tuple[int, ...]) -> datetime:
        """Keep what is left to delete and try again later; return when."""
        attempts = cleanup.attempts + 1
        later = self._clock() + backoff(attempts)
        sealed = self._vault.encrypt(json.dumps(list(remaining)).encode(), CLEANUP_CONTEXT)
        async with self._sessions.begin() as session:
            await session.execute(update(ForumCleanup).where(ForumCleanup.id == cleanup.id)
                                  .values(attempts=attempts, next_try_at=later, ids_enc=sealed))
        return later

    async def pending(self) -> int:
        """How many topics are still to delete (for tests and the operator)."""
        async with self._sessions() as session:
            return len((await session.scalars(select(ForumCleanup.id))).all())
