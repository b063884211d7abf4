"""The seen_updates table: which updates are being or have been handled."""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.runtime.clock import Clock
from bot.storage.models import SeenUpdate

__all__ = ["SeenUpdates"]


class SeenUpdates:
    """Claims on update ids, shared by every worker through the database."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock,
                 lease: timedelta) -> None:
        self._sessions, self._clock, self._lease = sessions, clock, lease

    async def claim(self, update_id: int) -> str:
        """'new' (handle it), 'done' (already handled) or 'busy' (another worker has it).

        A claim older than the lease is taken over: its worker died mid-update.
        """
        now = self._clock()
        try:
            async with self._sessions.begin() as session:
                await session.execute(insert(SeenUpdate).values(
                    update_id=update_id, claimed_at=now, done=False))
            return "new"
        except IntegrityError:
            pass
        async with self._sessions.begin() as session:
            row = (await session.execute(select(SeenUpdate.claimed_at, SeenUpdate.done)
                                         .where(SeenUpdate.update_id == update_id))).first()
            if row is None or row.done:
                return "done" if row is not None else "busy"
            if now - row.claimed_at < self._lease:
                return "busy"
            taken = await session.execute(
                update(SeenUpdate).where(SeenUpdate.update_id == update_id,
                                         SeenUpdate.claimed_at == row.claimed_at)
                .values(claimed_at=now))
            return "new" if getattr(taken, "rowcount", 0) == 1 else "busy"

    async def finish(self, update_id: int) -> None:
        """Mark the update handled."""
        async with self._sessions.begin() as session:
            await session.execute(update(SeenUpdate).where(SeenUpdate.update_id == update_id)
                                  .values(done=True))

    async def done_among(self, update_ids: Collection[int]) -> set[int]:
        """Which of these updates were handled already (one query for a polled batch)."""
        query = select(SeenUpdate.update_id).where(SeenUpdate.update_id.in_(set(update_ids)),
                                                   SeenUpdate.done.is_(True))
        async with self._sessions() as session:
            return set((await session.scalars(query)).all())

    async def finish_all(self, update_ids: Collection[int]) -> None:
        """Record these updates handled, claimed or not (one statement for a polled batch)."""
        now = self._clock()
        async with self._sessions.begin() as session:
            dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
            query = dialect.insert(SeenUpdate).values(
                [{"update_id": update_id, "claimed_at": now, "done": True}
                 for update_id in sorted(set(update_ids))])
            await session.execute(query.on_conflict_do_update(
                index_elements=["update_id"], set_={"done": True}))

    async def release(self, update_id: int) -> None:
        """Give the claim back, so Telegram's next delivery is handled."""
        async with self._sessions.begin() as session:
            await session.execute(delete(SeenUpdate).where(SeenUpdate.update_id == update_id))

    async def purge(self, keep: timedelta) -> int:
        """Forget ids claimed longer ago than `keep`; Telegram gives up retrying long before."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                delete(SeenUpdate).where(SeenUpdate.claimed_at < self._clock() - keep))
        return int(getattr(result, "rowcount", 0))
