"""Which checklist entries a person has ticked, under their pseudonymous key only."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.models import ChecklistTick

__all__ = ["Ticks"]


class Ticks:
    """The checklist_ticks table."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def ticked(self, key: str, item_ids: Iterable[str]) -> set[str]:
        """Those of `item_ids` the person has ticked."""
        query = select(ChecklistTick.item_id).where(ChecklistTick.person_key == key,
                                                    ChecklistTick.item_id.in_(set(item_ids)))
        async with self._sessions() as session:
            return set((await session.execute(query)).scalars())

    async def toggle(self, key: str, item_id: str) -> bool:
        """Tick an entry, or untick it if ticked; return whether it is now ticked."""
        async with self._sessions() as session:
            gone = await session.execute(delete(ChecklistTick).where(
                ChecklistTick.person_key == key, ChecklistTick.item_id == item_id))
            if gone.rowcount:  # type: ignore[attr-defined]
                await session.commit()
                return False
            session.add(ChecklistTick(person_key=key, item_id=item_id))
            try:
                await session.commit()
            except IntegrityError:  # a double tap ticked it a moment ago: it stays ticked
                await session.rollback()
            return True
