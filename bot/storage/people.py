"""The people repository: pseudonymous profiles, language choice and content reach."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Insert, Table, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.runtime.clock import Clock
from bot.storage.batching import Batcher
from bot.storage.database import drop_erased_copies
from bot.storage.models import Base, Delivery, Person, TrailState
from bot.storage.profile_cache import TTLCache
from bot.storage.vault import CASE, ROLE, Vault

# Another process's change of language shows here within this time (one process: at once).
# last_seen is written when the cache misses: at most once a minute for someone active.
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
        self._touches: Batcher[int, Profile] = Batcher(self._touch_many)

    def key_for(self, telegram_id: int) -> str:
        """The pseudonymous key of a Telegram user."""
        return self._vault.person_key(telegram_id)

    def cached(self, telegram_id: int) -> Profile | None:
        """The profile if it is in the short-lived cache; no database round trip."""
        return self._cache.get(self.key_for(telegram_id))

    async def touch(self, telegram_id: int, chat_id: int) -> Profile:
        """Load the person, creating them on first contact and noting they are active.

        People not in the cache are loaded (and created) together, one transaction for all
        those waiting: first contact on campaign day is a thousand people at once.
        """
        key = self.key_for(telegram_id)
        cached = self._cache.get(key)
        if cached is None:
            cached = await self._touches.get(key, chat_id)
            self._cache.put(key, replace(cached, is_new=False))
        return cached

    async def _touch_many(self, chats: dict[str, int]) -> dict[str, Profile]:
        """Insert the new people of a batch, note the known ones as seen; two statements."""
        now = self._clock()
        rows = [{"key": key, "chat_id_enc": self._vault.encrypt_chat_id(chat, key),
                 "created_at": now, "last_seen_at": now} for key, chat in chats.items()]
        async with self._sessions.begin() as session:
            made = await session.execute(_insert_new(session).returning(Person.key), rows)
            profiles = {key: Profile(key=key, language=None, is_new=True) for key in made.scalars()}
            known = [key for key in chats if key not in profiles]
            if known:
                seen = await session.execute(
                    update(Person).where(Person.key.in_(known))
                    .values(last_seen_at=now, blocked_at=None)
                    .returning(Person.key, Person.language, Person.notify),
                    execution_options={"synchronize_session": False})
                profiles.update({row.key: Profile(key=row.key, language=row.language,
                                                  is_new=False, notify=row.notify)
                                 for row in seen})
        return profiles

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

    async def forget(self, key: str, role_key: str | None = None) -> dict[str, int]:
        """Erase everything held about a person (and their group roles); rows, by table."""
        erased: dict[str, int] = {}
        case_key = self._vault.case_key(key)
        async with self._sessions.begin() as session:
            for table in _tables_with_person_key():
                # Group tables hold the person's role key, cases their case key (docs/keys.md).
                context = str(table.info.get("pseudonym", ""))
                held = {ROLE: role_key, CASE: case_key}.get(context, key)
                result = await session.execute(delete(table).where(table.c.person_key == held))
                erased[table.name] = int(getattr(result, "rowcount", 0))
            result = await session.execute(delete(Person).where(Person.key == key))
            erased["people"] = int(getattr(result, "rowcount", 0))
        self._cache.drop(key)
        await drop_erased_copies(self._sessions)
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


def _insert_new(session: AsyncSession) -> Insert:
    """INSERT that leaves a row already there alone: another process may have just made it."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(Person).on_conflict_do_nothing(index_elements=[Person.key])
    return sqlite.insert(Person).on_conflict_do_nothing(index_elements=[Person.key])


def _tables_with_person_key() -> list[Table]:
    """Every table holding rows about a person; new tables join /forget by having the column."""
    tables = Base.metadata.sorted_tables
    return [t for t in reversed(tables) if "person_key" in t.c and t.name != "people"]
