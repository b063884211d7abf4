"""FSM storage keys that do not reveal Telegram ids, even in Redis; they expire, and /forget
finds every one of a person's.

Each key lives FSM_TTL after its person last wrote or tapped (reading a state renews it), so
Redis keeps no conversation forever. Each person's keys are listed in one set of their own
(also pseudonymous), so /forget deletes them in every chat, groups included.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal, cast

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import DefaultKeyBuilder, KeyBuilder, StateType, StorageKey
from aiogram.fsm.storage.redis import RedisStorage
from redis.asyncio import Redis

from bot.storage.vault import Vault

# A form or an open counsellor case untouched this long starts over (docs/quick-exit.md):
# longer than any pause a conversation survives, short enough that Redis forgets.
FSM_TTL = timedelta(days=30)
_PARTS: tuple[Literal["state", "data", "lock"], ...] = ("state", "data", "lock")


class PseudonymousKeyBuilder(KeyBuilder):
    """aiogram's key layout, hashed with the vault's key."""

    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        self._plain = DefaultKeyBuilder(with_destiny=True)

    def build(
        self, key: StorageKey, part: Literal["data", "state", "lock"] | None = None
    ) -> str:
        """The Redis key for one person's state, data or lock."""
        return f"sokh:fsm:{self._vault.pseudonym(self._plain.build(key, part))}"

    def index(self, user_id: int) -> str:
        """The Redis set listing one person's FSM keys, in every chat."""
        return f"sokh:fsm-of:{self._vault.pseudonym(f'fsm-of:{user_id}')}"


class ExpiringRedisStorage(RedisStorage):
    """RedisStorage whose keys expire FSM_TTL after last use and are indexed per person."""

    def __init__(self, redis: Redis, key_builder: PseudonymousKeyBuilder,
                 ttl: timedelta = FSM_TTL) -> None:
        super().__init__(redis, key_builder, state_ttl=ttl, data_ttl=ttl)
        self._keys, self._ttl = key_builder, ttl

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        """Store (or clear) a state; its key joins the person's index."""
        value = state.state if isinstance(state, State) else state
        await self._write(key, "state", value)

    async def set_data(self, key: StorageKey, data: Any) -> None:
        """Store (or clear) data; its key joins the person's index."""
        if not isinstance(data, dict):
            await super().set_data(key, data)  # aiogram's own refusal
            return
        await self._write(key, "data", self.json_dumps(data) if data else None)

    async def get_state(self, key: StorageKey) -> str | None:
        """Read a state and renew the person's keys, in one round trip."""
        name = self._keys.build(key, "state")
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.get(name)
            for renewed in (name, self._keys.build(key, "data"), self._keys.index(key.user_id)):
                pipe.expire(renewed, self._ttl)
            value, *_ = await pipe.execute()
        return value.decode() if isinstance(value, bytes) else cast(str | None, value)

    async def forget(self, bot_id: int, user_id: int) -> int:
        """Delete every FSM key of a person (their private chat's even if never indexed)."""
        index = self._keys.index(user_id)
        private = StorageKey(bot_id=bot_id, chat_id=user_id, user_id=user_id)
        names = {self._keys.build(private, part) for part in _PARTS}
        names.update(name.decode() if isinstance(name, bytes) else str(name)
                     for name in await self.redis.smembers(index))
        return int(await self.redis.delete(index, *names))

    async def _write(self, key: StorageKey, part: Literal["state", "data"],
                     value: str | None) -> None:
        name, index = self._keys.build(key, part), self._keys.index(key.user_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            if value is None:
                pipe.delete(name)
                pipe.srem(index, name)
            else:
                pipe.set(name, value, ex=self._ttl)
                pipe.sadd(index, name)
                pipe.expire(index, self._ttl)
            await pipe.execute()


async def bound_old_keys(redis: Redis, ttl: timedelta = FSM_TTL) -> int:
    """Give FSM keys written before they expired (no TTL) the TTL; return how many."""
    bounded = 0
    async for name in redis.scan_iter(match="sokh:fsm:*", count=1000):
        if await redis.ttl(name) == -1:  # -1: no expiry; -2: gone meanwhile
            bounded += int(await redis.expire(name, ttl))
    return bounded
