"""Groups Sokh is in, and the trainers their admins named (docs/groups.md)."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.runtime.clock import Clock
from bot.storage.models import Group, GroupSession, GroupTrainer

ACTIVE, PAUSED = "active", "paused"


class GroupStore:
    """The groups and group_trainers tables; the outbox addresses a group by its row id."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions, self._clock = sessions, clock

    async def get(self, chat_id: int) -> Group | None:
        """The group with this chat id, if Sokh knows it."""
        async with self._sessions() as session:
            query = select(Group).where(Group.chat_id == chat_id)
            return (await session.execute(query)).scalar_one_or_none()

    async def by_id(self, group_id: int) -> Group | None:
        """The group with this row id."""
        async with self._sessions() as session:
            return await session.get(Group, group_id)

    async def of_trainer(self, person_key: str) -> list[Group]:
        """Active groups where this person was named trainer or has scheduled sessions."""
        named = select(GroupTrainer.group_id).where(GroupTrainer.person_key == person_key)
        used = select(GroupSession.group_id).where(GroupSession.trainer_key == person_key)
        query = (select(Group).where(Group.status == ACTIVE,
                                     Group.id.in_(named.union(used)))
                 .order_by(Group.title))
        async with self._sessions() as session:
            return list((await session.execute(query)).scalars())

    async def join(self, chat_id: int, title: str) -> Group:
        """Know a group (again): active, so its sessions' reminders go out."""
        async with self._sessions.begin() as session:
            query = select(Group).where(Group.chat_id == chat_id)
            group = (await session.execute(query)).scalar_one_or_none()
            if group is None:
                group = Group(chat_id=chat_id, title=title[:128], status=ACTIVE,
                              created_at=self._clock())
                session.add(group)
            group.status = ACTIVE
            await session.flush()
        return group

    async def set_language(self, group_id: int, language: str) -> None:
        """The language the group's admin chose for the group's messages."""
        async with self._sessions.begin() as session:
            await session.execute(update(Group).where(Group.id == group_id)
                                  .values(language=language))

    async def set_thread(self, group_id: int, thread_id: int | None) -> None:
        """In a forum, the topic where sessions are set up gets the reminders."""
        async with self._sessions.begin() as session:
            await session.execute(update(Group).where(Group.id == group_id)
                                  .values(thread_id=thread_id))

    async def set_status(self, chat_id: int, status: str) -> None:
        """Pause a group (the bot was removed) or make it active again."""
        async with self._sessions.begin() as session:
            await session.execute(update(Group).where(Group.chat_id == chat_id)
                                  .values(status=status))

    async def migrate(self, old_chat_id: int, new_chat_id: int) -> None:
        """Follow a group upgraded to a supergroup: same sessions and waiting outbox rows."""
        async with self._sessions.begin() as session:
            await session.execute(update(Group).where(Group.chat_id == old_chat_id)
                                  .values(chat_id=new_chat_id))

    async def add_trainer(self, group_id: int, person_key: str) -> None:
        """Let a person an admin named schedule sessions in this group."""
        async with self._sessions.begin() as session:
            query = select(GroupTrainer).where(GroupTrainer.group_id == group_id,
                                               GroupTrainer.person_key == person_key)
            if (await session.execute(query)).scalar_one_or_none() is None:
                session.add(GroupTrainer(group_id=group_id, person_key=person_key))

    async def is_trainer(self, group_id: int, person_key: str) -> bool:
        """True when an admin named this person a trainer of the group."""
        query = select(func.count()).select_from(GroupTrainer).where(
            GroupTrainer.group_id == group_id, GroupTrainer.person_key == person_key)
        async with self._sessions() as session:
            return bool((await session.execute(query)).scalar_one())
