"""The cases repository: anonymous counsellor conversations, encrypted transcripts, audit."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.runtime.breaker import Breaker
from bot.runtime.clock import Clock
from bot.storage.forum_cleanup import ForumCleanups
from bot.storage.models import Case, CaseAudit, CaseMessage
from bot.storage.vault import Vault

WAITING, TAKEN, CLOSED = "waiting", "taken", "closed"
# No 0/O, 1/I/L: aliases are read aloud and typed by counsellors.
ALIAS_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
OPEN_TTL_S = 5.0


@dataclass(frozen=True)
class CaseInfo:
    """A case as handlers see it; the chat id is decrypted only for relaying."""

    id: int
    alias: str
    person_key: str
    chat_id: int
    language: str
    status: str
    urgent: bool
    topic_id: int | None
    counsellor_id: int | None
    opened_at: datetime
    announce_id: int | None = None
    forum_id: int | None = None


def _consume(task: asyncio.Future[Any]) -> None:
    """Retrieve a late lookup's outcome, so asyncio does not report it as never retrieved."""
    if not task.cancelled():
        task.exception()


def new_alias() -> str:
    """A short random alias such as K7Q2, unrelated to who the person is."""
    return "".join(secrets.choice(ALIAS_LETTERS) for _ in range(4))


class Cases:
    """Stores cases under the person's case key, with the transcript sealed by the vault.

    Callers speak in person keys; rows hold `Vault.case_key` of them, so a database reader
    cannot join a case to the person's profile, schedules or groups (docs/keys.md).
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession], vault: Vault, clock: Clock,
                 monotonic: Callable[[], float] = time.monotonic):
        self._sessions, self._vault, self._clock = sessions, vault, clock
        self.cleanups = ForumCleanups(sessions, vault, clock)
        # Whether a person is in an open case, read from the database and kept briefly: the
        # relay asks on every private message. Another worker sees a change within OPEN_TTL_S.
        self._open: dict[str, tuple[CaseInfo | None, float]] = {}
        # Who this process last saw in an open case; unlike the cache above, a change to a
        # case (its topic, a counsellor taking it) does not drop them: only its end does.
        self._in_case: set[str] = set()
        self._monotonic = monotonic
        # A lookup that failed or hung opens it: the next few do not wait on the database.
        self.breaker = Breaker(monotonic=monotonic)
        # Cases opened at the same moment must not all count the same loads and pile into
        # one group: this process picks and opens one at a time.
        self._placing = asyncio.Lock()

    async def open_in(self, forums: Sequence[int], person_key: str, chat_id: int,
                      language: str, urgent: bool) -> CaseInfo:
        """Open a case in the least loaded of the counsellors' groups."""
        async with self._placing:
            forum = await self.least_loaded(forums)
            return await self.open(person_key, chat_id, language, urgent, forum)

    async def open_case(self, person_key: str) -> CaseInfo | None:
        """The person's open case (cached for OPEN_TTL_S; this process's changes at once)."""
        cached = self._open.get(person_key)
        now = self._monotonic()
        if cached is not None and cached[1] > now:
            return cached[0]
        case = await self.active_for(person_key)
        if len(self._open) > 50_000:
            self._open.clear()
        self._open[person_key] = (case, now + OPEN_TTL_S)
        if case is None:
            self._in_case.discard(person_key)
        elif len(self._in_case) < 50_000:
            self._in_case.add(person_key)
        return case

    async def open_case_soon(self, person_key: str,
                             wait: float) -> tuple[CaseInfo | None, bool]:
        """The open case within `wait` s, and True; else what this process last knew, False.

        For the relay's filter, which every private message passes: with the database down
        or hanging, a case this process knew still relays (its message is then refused
        honestly if it cannot be kept), and everyone else goes on to triage at once.
        """
        if not self.breaker.open:
            # Not wait_for: it waits for the cancelled lookup to unwind, and a connect to a
            # hanging server unwinds only at its own timeout. The lookup ends by itself.
            lookup = asyncio.ensure_future(self.open_case(person_key))
            done, _ = await asyncio.wait({lookup}, timeout=wait)
            if done and lookup.exception() is None:
                return lookup.result(), True
            if not done:
                lookup.add_done_callback(_consume)
            elif not isinstance(lookup.exception(), SQLAlchemyError | OSError):
                lookup.result()  # raises the unexpected
            self.breaker.trip()
        cached = self._open.get(person_key)
        return (cached[0] if cached is not None else None), False

    def seemed_open(self, person_key: str) -> bool:
        """Whether this process last saw the person in an open case (no database read).

        For the flood gate, which must decide without waiting; the throttle asks again
        through `open_case` before anything is dropped.
        """
        return person_key in self._in_case

    def forget_open(self, person_key: str) -> None:
        """Drop the cached answer for a person (their case opened, changed or closed)."""
        self._open.pop(person_key, None)
        self._in_case.discard(person_key)

    async def least_loaded(self, forums: Sequence[int]) -> int:
        """The counsellors' group with the fewest open cases (the first on a tie)."""
        query = (select(Case.forum_id, func.count()).where(Case.status != CLOSED)
                 .group_by(Case.forum_id))
        async with self._sessions() as session:
            load = {forum: int(n) for forum, n in await session.execute(query)}
        return min(forums, key=lambda forum: (load.get(forum, 0), forums.index(forum)))

    def _info(self, row: Case) -> CaseInfo:
        chat_id = self._vault.decrypt_chat_id(row.chat_id_enc, row.person_key)
        # A case is opened in the person's private chat, whose id is their user id.
        person_key = self._vault.person_key(chat_id)
        return CaseInfo(row.id, row.alias, person_key, chat_id, row.language, row.status,
                        row.urgent, row.topic_id, row.counsellor_id, row.opened_at,
                        row.announce_id, row.forum_id)

    async def open(self, person_key: str, chat_id: int, language: str, urgent: bool,
                   forum_id: int | None = None) -> CaseInfo:
        """Open a waiting case with a fresh alias (retried on the rare collision)."""
        if self._vault.person_key(chat_id) != person_key:
            # _info() finds the person again from the chat id: it must be their private chat.
            raise ValueError("a case is opened from the person's own private chat")
        self.forget_open(person_key)
        key = self._vault.case_key(person_key)
        for _ in range(5):
            row = Case(alias=new_alias(), person_key=key, language=language,
                       chat_id_enc=self._vault.encrypt_chat_id(chat_id, key),
                       status=WAITING, urgent=urgent, opened_at=self._clock(),
                       forum_id=forum_id)
            try:
                async with self._sessions.begin() as session:
                    session.add(row)
            except IntegrityError:
                continue
            # Known open at once: her next messages, even a burst, are relayed, not throttled.
            info = self._info(row)
            self._open[person_key] = (info, self._monotonic() + OPEN_TTL_S)
            self._in_case.add(person_key)
            return info
        raise RuntimeError("no free case alias after 5 tries")

    async def set_topic(self, case_id: int, topic_id: int) -> None:
        """Remember the forum topic that holds the case."""
        await self._update(case_id, topic_id=topic_id)
        self._open.clear()  # the cached case has no topic yet

    async def set_announce(self, case_id: int, message_id: int) -> None:
        """Remember the 'urgent case waiting' note in General, to edit it when taken."""
        await self._update(case_id, announce_id=message_id)

    async def note_forum(self, case_id: int, *message_ids: int) -> None:
        """Remember messages the case left in its topic, to delete them if the topic stays."""
        async with self._sessions.begin() as session:
            session.add_all([self.cleanups.sealed_id(case_id, m) for m in message_ids])

    async def get(self, case_id: int) -> CaseInfo | None:
        """One case by id."""
        async with self._sessions() as session:
            row = await session.get(Case, case_id)
        return self._info(row) if row else None

    async def by_topic(self, forum_id: int, topic_id: int) -> CaseInfo | None:
        """The case a topic of a counsellors' group belongs to (older cases have no group)."""
        here = or_(Case.forum_id == forum_id, Case.forum_id.is_(None))
        return await self._first(select(Case).where(Case.topic_id == topic_id, here)
                                 .order_by(Case.forum_id.is_(None)))

    async def active_for(self, person_key: str) -> CaseInfo | None:
        """The person's case that is waiting or taken, if any."""
        key = self._vault.case_key(person_key)
        query = select(Case).where(Case.person_key == key, Case.status != CLOSED)
        return await self._first(query)

    async def count_waiting(self) -> int:
        """How many cases wait for a counsellor to take them (for /metrics)."""
        query = select(func.count()).select_from(Case).where(Case.status == WAITING)
        async with self._sessions() as session:
            return int((await session.execute(query)).scalar_one())

    async def waiting(self) -> list[CaseInfo]:
        """Cases no counsellor has taken yet, urgent first, then oldest first."""
        query = select(Case).where(Case.status == WAITING)
        return await self._all(query.order_by(Case.urgent.desc(), Case.opened_at))

    async def take(self, case_id: int, counsellor_id: int) -> bool:
        """Give a waiting case to a counsellor; False when someone else already has it."""
        now = self._clock()
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(Case).where(Case.id == case_id, Case.status == WAITING)
                .values(status=TAKEN, counsellor_id=counsellor_id, taken_at=now)
                .returning(Case.alias))
            alias = result.scalar_one_or_none()
            if alias is not None:
                session.add(CaseAudit(case_alias=alias, action="take",
                                      counsellor_id=counsellor_id, at=now))
        return alias is not None

    async def close(self, case_id: int, counsellor_id: int, keep_transcript: bool,
                    forum_chat: int | None = None) -> list[int] | None:
        """Close an open case and audit it; None when it was closed already.

        With zero retention the transcript goes now and the forum topic is queued for
        deletion; the ids of the queued cleanups are returned.
        """
        now = self._clock()
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(Case).where(Case.id == case_id, Case.status != CLOSED)
                .values(status=CLOSED, closed_at=now).returning(Case.alias))
            alias = result.scalar_one_or_none()
            if alias is None:
                return None
            self._open.clear()  # the person's next message is no longer relayed
            session.add(CaseAudit(case_alias=alias, action="close",
                                  counsellor_id=counsellor_id, at=now))
            if keep_transcript:
                return []
            await session.execute(delete(CaseMessage).where(CaseMessage.case_id == case_id))
            row = await session.get(Case, case_id)
            return await self.cleanups.queue(session, [row] if row else [], forum_chat)

    async def rate(self, case_id: int, person_key: str, score: int) -> bool:
        """Record the person's rating of their own closed case."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(Case).where(Case.id == case_id,
                                   Case.person_key == self._vault.case_key(person_key),
                                   Case.status == CLOSED).values(rating=score))
        return bool(getattr(result, "rowcount", 0))

    async def record(self, case: CaseInfo, sender: str, body: str) -> int:
        """Add a transcript line, encrypted and bound to its case and sender; return its id."""
        sealed = self._vault.encrypt(body.encode(), _context(case.id, sender))
        line = CaseMessage(case_id=case.id, person_key=self._vault.case_key(case.person_key),
                           sender=sender,
                           body_enc=sealed, sent_at=self._clock())
        async with self._sessions.begin() as session:
            session.add(line)
            await session.flush()
            return line.id

    async def wrote_since(self, case_id: int, sender: str, since: datetime) -> bool:
        """Whether `sender` added a transcript line to the case at or after `since`."""
        query = select(CaseMessage.id).where(CaseMessage.case_id == case_id,
                                             CaseMessage.sender == sender,
                                             CaseMessage.sent_at >= since).limit(1)
        async with self._sessions() as session:
            return (await session.scalar(query)) is not None

    async def wrote_lately(self, case_id: int, sender: str, minutes: int) -> bool:
        """Whether `sender` wrote in the case within the last `minutes` (by this clock)."""
        return await self.wrote_since(case_id, sender, self._clock() - timedelta(minutes=minutes))

    async def line(self, line_id: int, person_key: str, sender: str) -> str | None:
        """One decrypted transcript line, only if it belongs to this person (else None)."""
        async with self._sessions() as session:
            row = await session.get(CaseMessage, line_id)
        if row is None or row.person_key != self._vault.case_key(person_key) \
                or row.sender != sender:
            return None
        return self._vault.decrypt(row.body_enc, _context(row.case_id, sender)).decode()

    async def transcript(self, case_id: int) -> list[tuple[str, str]]:
        """The decrypted transcript of a case, oldest first (sender, text)."""
        query = select(CaseMessage).where(CaseMessage.case_id == case_id).order_by(CaseMessage.id)
        async with self._sessions() as session:
            rows = (await session.scalars(query)).all()
        return [(r.sender, self._vault.decrypt(r.body_enc, _context(case_id, r.sender)).decode())
                for r in rows]

    async def overdue(self, minutes: int) -> list[CaseInfo]:
        """Waiting cases older than `minutes` whose person was not yet told; marks them told."""
        now = self._clock()
        query = select(Case).where(Case.status == WAITING, Case.waiting_told_at.is_(None),
                                   Case.opened_at <= now - timedelta(minutes=minutes))
        found = await self._all(query)
        for case in found:
            await self._update(case.id, waiting_told_at=now)
        return found

    async def purge(self, days: int, forum_chat: int | None = None) -> int:
        """Delete cases (and transcripts) closed more than `days` ago; return how many.

        Their forum topics are queued for deletion in the same transaction.
        """
        cutoff = self._clock() - timedelta(days=days)
        old = select(Case).where(Case.status == CLOSED, Case.closed_at <= cutoff)
        return await self._drop(old, forum_chat)

    async def retire_for(self, person_key: str, forum_chat: int | None) -> int:
        """For /forget: delete the person's cases now and queue their forum topics."""
        self.forget_open(person_key)
        key = self._vault.case_key(person_key)
        return await self._drop(select(Case).where(Case.person_key == key), forum_chat)

    async def _drop(self, query: Select[Case], forum_chat: int | None) -> int:
        async with self._sessions.begin() as session:
            found = list((await session.scalars(query.with_for_update())).all())
            await self.cleanups.queue(session, [c for c in found if c.topic_id], forum_chat)
            ids = [c.id for c in found]
            await session.execute(delete(CaseMessage).where(CaseMessage.case_id.in_(ids)))
            await session.execute(delete(Case).where(Case.id.in_(ids)))
        return len(found)

    async def _update(self, case_id: int, **values: object) -> None:
        async with self._sessions.begin() as session:
            await session.execute(update(Case).where(Case.id == case_id).values(**values))

    async def _first(self, query: object) -> CaseInfo | None:
        found = await self._all(query)
        return found[0] if found else None

    async def _all(self, query: object) -> list[CaseInfo]:
        async with self._sessions() as session:
            rows = (await session.scalars(query)).all()  # type: ignore[call-overload]
        return [self._info(row) for row in rows]


def _context(case_id: int, sender: str) -> bytes:
    return f"case:{case_id}:{sender}".encode()
