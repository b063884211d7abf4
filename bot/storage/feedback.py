"""'Useful' / 'not useful' taps on course tips, counted per content item and version."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from bot.runtime.clock import Clock, utc_now
from bot.storage.database import session_factory
from bot.storage.models import Delivery, TipFeedback

__all__ = ["Feedback", "FeedbackCount", "read_feedback"]


@dataclass(frozen=True)
class FeedbackCount:
    """How many people found one item (in one content version) useful, and how many not."""

    item_id: str
    content_version: str
    useful: int
    useless: int


class Feedback:
    """The tip_feedback table: one vote per person, item and content version."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions, self._clock = sessions, clock

    async def rate(self, key: str, item_id: str, useful: bool, current_version: str) -> None:
        """Record a tap; a second tap by the same person replaces the first, never adds.

        The vote counts for the content version the tip was sent in, which a reload since
        may have replaced; `current_version` only when no delivery of it is on record.
        """
        async with self._sessions.begin() as session:
            version = await _delivered_version(session, key, item_id) or current_version
            values = {"person_key": key, "item_id": item_id, "content_version": version,
                      "useful": useful, "at": self._clock()}
            dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
            query = dialect.insert(TipFeedback).values(**values)
            query = query.on_conflict_do_update(
                index_elements=["person_key", "item_id", "content_version"],
                set_={"useful": query.excluded.useful, "at": query.excluded.at})
            await session.execute(query)

    async def counts(self) -> list[FeedbackCount]:
        """Useful and not-useful taps per item and content version, by item id."""
        useful = func.sum(cast(TipFeedback.useful, Integer))
        query = (select(TipFeedback.item_id, TipFeedback.content_version, useful, func.count())
                 .group_by(TipFeedback.item_id, TipFeedback.content_version)
                 .order_by(TipFeedback.item_id, TipFeedback.content_version))
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        return [FeedbackCount(item, version, int(yes), int(total) - int(yes))
                for item, version, yes, total in rows]


async def _delivered_version(session: AsyncSession, key: str, item_id: str) -> str | None:
    query = (select(Delivery.content_version)
             .where(Delivery.person_key == key, Delivery.item_id == item_id)
             .order_by(Delivery.delivered_at.desc(), Delivery.id.desc()).limit(1))
    return (await session.execute(query)).scalar_one_or_none()


async def read_feedback(url: str) -> list[FeedbackCount] | None:
    """The counts in the database at `url`, or None when there is none to read yet."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file():
        return None  # a report must not create an empty database where it looked
    engine = create_async_engine(url)
    try:
        return await Feedback(session_factory(engine), utc_now).counts()
    except (SQLAlchemyError, OSError):
        return None  # unreachable, or not migrated yet: nothing to count
    finally:
        await engine.dispose()
