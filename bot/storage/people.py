"""The people repository: pseudonymous profiles, language choice and content reach."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import Table, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.runtime.clock import Clock
from bot.storage.models import Base, Delivery, Person, TrailState
from bot.storage.profile_cache import TTLCache
from bot.storage.vault import Vault

# Writing last_seen on every update would double the writes for nothing useful.
LAST_SEEN_RESOLUTION = timedelta(minutes=10)
# Another process's change of language shows here within this time (one process: at once).
PROFILE_CACHE_TTL_S = 60.0
DEFAULT_NOTIFY = "discreet"
# Only the neutral line and a Read button: chosen, or in force after a hide (docs/quick-exit.md).
NEUTRAL_NOTIFY = "neutral"


@dataclass(frozen=True)
class Profile:
    """What dialogs may know about a person: a key and a language, nothing identifying."""

    key: str
    language: str | None
    is_new: bool
    notify: str = DEFAULT_NOTIFY  # how sensitive proactive messages look (docs/notifications.md)


class People:
    """Stores people under keyed hashes; callers pass clear ids only to be hashed."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], vault: Vault, clock: Clock):
        self._sessions = sessions
        self._vault = vault
        self._clock = clock
        self._cache: TTLCache[Profile] = TTLCache(PROFILE_CACHE_TTL_S)

    def key_for(self, telegram_id: int) -> str:
        """The pseudonymous key of a Telegram user."""
        return self._vault.person_key(telegram_id)

    def cached(self, telegram_id: int) -> Profile | None:
        """The profile if it is in the short-lived cache; no database round trip."""
        return self._cache.get(self.key_for(telegram_id))

    async def touch(self, telegram_id: int, chat_id: int) -> Profile:
        """Load the person, creating them on first contact and noting they are active."""
        key = self.key_for(telegram_id)
        cached = self._cache.get(key)
        if cached is None:
            cached = await self._touch(key, chat_id)
            self._cache.put(key, replace(cached, is_new=False))
        return cached

    async def _touch(self, key: str, chat_id: int) -> Profile:
        now = self._clock()
        async with self._sessions.begin() as session:
            person = await session.get(Person, key)
            if person is None:
                chat = self._vault.encrypt_chat_id(chat_id, key)
                session.add(Person(key=key, chat_id_enc=chat, created_at=now, last_seen_at=now))
                return Profile(key=key, language=None, is_new=True)
            if now - person.last_seen_at > LAST_SEEN_RESOLUTION or person.blocked_at:
                person.last_seen_at, person.blocked_at = now, None
            return Profile(key=key, language=person.language, is_new=False, notify=person.notify)

    async def set_language(self, key: str, language: str) -> None:
        """Remember the language a person chose."""
        async with self._sessions.begin() as session:
            await session.execute(update(Person).where(Person.key == key).values(language=language))
        self._cache.drop(key)

    async def set_notify(self, key: str, mode: str) -> None:
        """Remember how the person wants sensitive proactive messages to look."""
        async with self._sessions.begin() as session:
            await session.execute(update(Person).where(Person.key == key).values(notify=mode))
        self._cache.drop(key)

    async def notify_mode(self, key: str) -> str:
        """How a message sent outside the person's updates looks: their preference, or
        fully neutral while a hide's veil is on (until they open Sokh again)."""
        hidden = select(TrailState.hidden_at).where(TrailState.person_key == key)
        async with self._sessions() as session:
            if await session.scalar(hidden) is not None:
                return NEUTRAL_NOTIFY
            return (await notify_modes(session, [key])).get(key, DEFAULT_NOTIFY)

    async def record_delivery(self, key: str, content_version: str, item_id: str) -> None:
        """Note that a content item reached a person, for reach per item and version."""
        row = Delivery(
            person_key=key, content_version=content_version, item_id=item_id,
            delivered_at=self._clock(),
        )
        async with self._sessions.begin() as session:
            session.add(row)

    async def mark_blocked(self, key: str) -> None:
        """Stop treating a person as reachable after they blocked the bot."""
        async with self._sessions.begin() as session:
            values = {"blocked_at": self._clock()}
            await session.execute(update(Person).where(Person.key == key).values(**values))
        self._cache.drop(key)

    async def chat_id(self, key: str) -> int | None:
        """Decrypt the chat id of a person, for proactive messages."""
        async with self._sessions() as session:
            person = await session.get(Person, key)
        return self._vault.decrypt_chat_id(person.chat_id_enc, key) if person else None

    async def forget(self, key: str) -> dict[str, int]:
        """Erase everything held about a person; return how many rows, by table."""
        erased: dict[str, int] = {}
        async with self._sessions.begin() as session:
            for table in _tables_with_person_key():
                result = await session.execute(delete(table).where(table.c.person_key == key))
                erased[table.name] = int(getattr(result, "rowcount", 0))
            result = await session.execute(delete(Person).where(Person.key == key))
            erased["people"] = int(getattr(result, "rowcount", 0))
        self._cache.drop(key)
        return erased

    async def delivered_at(self, key: str) -> list[tuple[str, str, datetime]]:
        """A person's delivery history, oldest first (content version, item id, when)."""
        query = select(Delivery.content_version, Delivery.item_id, Delivery.delivered_at)
        query = query.where(Delivery.person_key == key).order_by(Delivery.id)
        async with self._sessions() as session:
            return [tuple(row) for row in await session.execute(query)]  # type: ignore[misc]


async def notify_modes(session: AsyncSession, keys: Sequence[str]) -> dict[str, str]:
    """Notification preferences of many people at once (the nudge job's chunks)."""
    if not keys:
        return {}
    query = select(Person.key, Person.notify).where(Person.key.in_(set(keys)))
    return {key: notify for key, notify in await session.execute(query)}


def _tables_with_person_key() -> list[Table]:
    """Every table holding rows about a person; new tables join /forget by having the column."""
    tables = Base.metadata.sorted_tables
    return [t for t in reversed(tables) if "person_key" in t.c and t.name != "people"]
