"""The seen_updates table: which updates are being or have been handled."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.runtime.clock import Clock
from bot.storage.batching import Batcher
from bot.storage.models import SeenUpdate

__all__ = ["SeenUpdates"]

_TABLE = cast(Table, SeenUpdate.__table__)


class SeenUpdates:
    """Claims on update ids, shared by every worker through the database.

    Claims and finishes arriving together share one transaction (bot/storage/batching.py):
    one each per update cost a webhook worker on SQLite three quarters of its throughput.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock,
                 lease: timedelta) -> None:
        self._sessions, self._clock, self._lease = sessions, clock, lease
        self._claims: Batcher[int, str] = Batcher(self._claim_many)
        self._finishes: Batcher[int, None] = Batcher(self._finish_many)
        self._asked = 0

    async def claim(self, update_id: int) -> str:
        """'new' (handle it), 'done' (already handled) or 'busy' (another worker has it).

        A claim older than the lease is taken over: its worker died mid-update.
        """
        # A key per call: two deliveries of one update in a batch must not share "new".
        self._asked += 1
        return await self._claims.get(f"{update_id}:{self._asked}", update_id)

    async def finish(self, update_id: int) -> None:
        """Mark the update handled."""
        await self._finishes.get(str(update_id), update_id)

    async def _claim_many(self, batch: dict[str, int]) -> dict[str, str]:
        """Insert the batch's new claims; look at the others; take over expired ones."""
        now = self._clock()
        rows = [{"update_id": update_id, "claimed_at": now, "done": False}
                for update_id in sorted(set(batch.values()))]
        async with self._sessions.begin() as session:
            dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
            made = await session.execute(
                dialect.insert(_TABLE).on_conflict_do_nothing(index_elements=["update_id"])
                .returning(_TABLE.c.update_id), rows)
            states = {update_id: "new" for update_id in made.scalars()}
            held = sorted({update_id for update_id in batch.values() if update_id not in states})
            if held:
                states.update(await self._held(session, held, now))
        answers: dict[str, str] = {}
        for key, update_id in batch.items():
            # Gone between the insert and the look (released): its delivery tries again.
            answers[key] = states.get(update_id, "busy")
            if answers[key] == "new":
                states[update_id] = "busy"  # the same update twice in a batch: one handles it
        return answers

    async def _held(self, session: AsyncSession, update_ids: list[int],
                    now: datetime) -> dict[int, str]:
        """Done, busy, or new again for a claim whose lease ran out (its worker died)."""
        rows = (await session.execute(
            select(_TABLE.c.update_id, _TABLE.c.claimed_at, _TABLE.c.done)
            .where(_TABLE.c.update_id.in_(update_ids)))).all()
        states: dict[int, str] = {}
        for update_id, claimed_at, done in rows:
            if done or now - claimed_at < self._lease:
                states[update_id] = "done" if done else "busy"
                continue
            taken = await session.execute(
                update(_TABLE).where(_TABLE.c.update_id == update_id,
                                     _TABLE.c.claimed_at == claimed_at)
                .values(claimed_at=now))
            states[update_id] = "new" if getattr(taken, "rowcount", 0) == 1 else "busy"
        return states

    async def _finish_many(self, batch: dict[str, int]) -> dict[str, None]:
        async with self._sessions.begin() as session:
            await session.execute(update(_TABLE).where(_TABLE.c.update_id.in_(batch.values()))
                                  .values(done=True))
        return dict.fromkeys(batch)

    async def done_among(self, update_ids: Collection[int]) -> set[int]:
        """Which of these updates were handled already (one query for a polled batch)."""
        query = select(SeenUpdate.update_id).where(SeenUpdate.update_id.in_(set(update_ids)),
                                                   SeenUpdate.done.is_(True))
        async with self._sessions() as session:
            return set((await session.scalars(query)).all())

    async def finish_all(self, update_ids: Collection[int]) -> None:
        """Record these updates handled, claimed or not (one statement for a polled batch)."""
        now = self._clock()
        rows = [{"update_id": update_id, "claimed_at": now, "done": True}
                for update_id in sorted(set(update_ids))]
        async with self._sessions.begin() as session:
            dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
            # Core executemany: compiled once and cached, whatever the batch's size.
            query = dialect.insert(_TABLE)
            await session.execute(query.on_conflict_do_update(
                index_elements=["update_id"], set_={"done": True}), rows)

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
