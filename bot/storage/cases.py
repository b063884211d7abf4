"""The cases repository: anonymous counsellor conversations, encrypted transcripts, audit."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.runtime.clock import Clock
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
    forum_id: int | None = None


def new_alias() -> str:
    """A short random alias such as K7Q2, unrelated to who the person is."""
    return "".join(secrets.choice(ALIAS_LETTERS) for _ in range(4))


class Cases:
    """Stores cases under the person's key, with the transcript sealed by the vault."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], vault: Vault, clock: Clock,
                 monotonic: Callable[[], float] = time.monotonic):
        self._sessions, self._vault, self._clock = sessions, vault, clock
        # Whether a person is in an open case, read from the database and kept briefly: the
        # relay asks on every private message. Another worker sees a change within OPEN_TTL_S.
        self._open: dict[str, tuple[CaseInfo | None, float]] = {}
        self._monotonic = monotonic
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
        return case

    def forget_open(self, person_key: str) -> None:
        """Drop the cached answer for a person (their case opened, changed or closed)."""
        self._open.pop(person_key, None)

    async def least_loaded(self, forums: Sequence[int]) -> int:
        """The counsellors' group with the fewest open cases (the first on a tie)."""
        query = (select(Case.forum_id, func.count()).where(Case.status != CLOSED)
                 .group_by(Case.forum_id))
        async with self._sessions() as session:
            load = {forum: int(n) for forum, n in await session.execute(query)}
        return min(forums, key=lambda forum: (load.get(forum, 0), forums.index(forum)))

    def _info(self, row: Case) -> CaseInfo:
        chat_id = self._vault.decrypt_chat_id(row.chat_id_enc, row.person_key)
        return CaseInfo(row.id, row.alias, row.person_key, chat_id, row.language, row.status,
                        row.urgent, row.topic_id, row.counsellor_id, row.opened_at, row.forum_id)

    async def open(self, person_key: str, chat_id: int, language: str, urgent: bool,
                   forum_id: int | None = None) -> CaseInfo:
        """Open a waiting case with a fresh alias (retried on the rare collision)."""
        self.forget_open(person_key)
        for _ in range(5):
            row = Case(alias=new_alias(), person_key=person_key, language=language,
                       chat_id_enc=self._vault.encrypt_chat_id(chat_id, person_key),
                       status=WAITING, urgent=urgent, opened_at=self._clock(),
                       forum_id=forum_id)
            try:
                async with self._sessions.begin() as session:
                    session.add(row)
                return self._info(row)
            except IntegrityError:
                continue
        raise RuntimeError("no free case alias after 5 tries")

    async def set_topic(self, case_id: int, topic_id: int) -> None:
        """Remember the forum topic that holds the case."""
        await self._update(case_id, topic_id=topic_id)
        self._open.clear()  # the cached case has no topic yet

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
        query = select(Case).where(Case.person_key == person_key, Case.status != CLOSED)
        return await self._first(query)

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

    async def close(self, case_id: int, counsellor_id: int, keep_transcript: bool) -> bool:
        """Close an open case and audit it; with zero retention the transcript goes now."""
        now = self._clock()
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(Case).where(Case.id == case_id, Case.status != CLOSED)
                .values(status=CLOSED, closed_at=now).returning(Case.alias))
            alias = result.scalar_one_or_none()
            if alias is None:
                return False
            self._open.clear()  # the person's next message is no longer relayed
            session.add(CaseAudit(case_alias=alias, action="close",
                                  counsellor_id=counsellor_id, at=now))
            if not keep_transcript:
                await session.execute(delete(CaseMessage).where(CaseMessage.case_id == case_id))
        return True

    async def rate(self, case_id: int, person_key: str, score: int) -> bool:
        """Record the person's rating of their own closed case."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(Case).where(Case.id == case_id, Case.person_key == person_key,
                                   Case.status == CLOSED).values(rating=score))
        return bool(getattr(result, "rowcount", 0))

    async def record(self, case: CaseInfo, sender: str, body: str) -> int:
        """Add a transcript line, encrypted and bound to its case and sender; return its id."""
        sealed = self._vault.encrypt(body.encode(), _context(case.id, sender))
        line = CaseMessage(case_id=case.id, person_key=case.person_key, sender=sender,
                           body_enc=sealed, sent_at=self._clock())
        async with self._sessions.begin() as session:
            session.add(line)
            await session.flush()
            return line.id

    async def line(self, line_id: int, person_key: str, sender: str) -> str | None:
        """One decrypted transcript line, only if it belongs to this person (else None)."""
        async with self._sessions() as session:
            row = await session.get(CaseMessage, line_id)
        if row is None or row.person_key != person_key or row.sender != sender:
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

    async def purge(self, days: int) -> int:
        """Delete cases (and transcripts) closed more than `days` ago; return how many."""
        cutoff = self._clock() - timedelta(days=days)
        async with self._sessions.begin() as session:
            old = select(Case.id).where(Case.status == CLOSED, Case.closed_at <= cutoff)
            await session.execute(delete(CaseMessage).where(CaseMessage.case_id.in_(old)))
            result = await session.execute(delete(Case).where(Case.id.in_(old)))
        return int(getattr(result, "rowcount", 0))

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
