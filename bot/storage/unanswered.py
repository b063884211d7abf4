"""Questions search could not answer, counted only when the operator enables it.

A row is a question already stripped of personal data (bot/language/scrub.py) and how many
times it was asked; no person, chat or time of day is kept with it, only the last date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.models import UnansweredQuestion


@dataclass(frozen=True)
class Count:
    """A line of `report unanswered`."""

    text: str
    language: str
    count: int
    last_seen: date


class Unanswered:
    """Counts stripped questions; callers pass only text already scrubbed."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def note(self, text: str, language: str, today: date) -> None:
        """Count one more asking of a stripped question."""
        async with self._sessions() as session:
            bumped = await session.execute(
                update(UnansweredQuestion).where(UnansweredQuestion.text == text)
                .values(count=UnansweredQuestion.count + 1, last_seen=today)
            )
            if not bumped.rowcount:  # type: ignore[attr-defined]
                session.add(UnansweredQuestion(text=text, language=language, count=1,
                                               last_seen=today))
            try:
                await session.commit()
            except IntegrityError:  # another process added it first: count on that row
                await session.rollback()
                await self.note(text, language, today)

    async def top(self, limit: int = 30) -> list[Count]:
        """The most often unanswered questions, most frequent first."""
        query = (select(UnansweredQuestion).order_by(UnansweredQuestion.count.desc(),
                                                     UnansweredQuestion.text).limit(limit))
        async with self._sessions() as session:
            rows = (await session.execute(query)).scalars().all()
        return [Count(r.text, r.language, r.count, r.last_seen) for r in rows]
