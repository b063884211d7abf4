"""FSM storage that keeps answering while Redis is unreachable."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey
from aiogram.fsm.storage.memory import MemoryStorage
from redis.exceptions import RedisError

from bot.runtime.breaker import Breaker

log = logging.getLogger(__name__)


class ResilientStorage(BaseStorage):
    """Redis when it answers; process memory while it does not, so no one goes unanswered.

    After a failure the `breaker` keeps calls in memory for a few seconds: a hanging Redis
    costs one update its socket timeout, not every update (the crisis reply is due in 1 s).
    """

    def __init__(self, primary: BaseStorage, breaker: Breaker | None = None) -> None:
        self._primary, self._fallback = primary, MemoryStorage()
        self._breaker = breaker or Breaker()

    async def _call(self, name: str, *args: Any) -> Any:
        if self._breaker.open:
            return await getattr(self._fallback, name)(*args)
        try:
            return await getattr(self._primary, name)(*args)
        except (RedisError, OSError):
            self._breaker.trip()
            log.warning("FSM storage unreachable: %s falls back to memory", name)
            return await getattr(self._fallback, name)(*args)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        """Store a conversation state."""
        await self._call("set_state", key, state)

    async def get_state(self, key: StorageKey) -> str | None:
        """Read a conversation state."""
        state: str | None = await self._call("get_state", key)
        return state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        """Store conversation data."""
        await self._call("set_data", key, data)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        """Read conversation data."""
        data: dict[str, Any] = await self._call("get_data", key)
        return data

    async def forget(self, bot_id: int, user_id: int) -> None:
        """Erase a person's conversation state in both stores (/forget).

        Raises RedisError or OSError when Redis cannot be reached: the caller says so; the
        keys still expire (bot/pipeline/fsm_keys.py).
        """
        private = StorageKey(bot_id=bot_id, chat_id=user_id, user_id=user_id)
        await self._fallback.set_state(private, None)
        await self._fallback.set_data(private, {})
        forget = getattr(self._primary, "forget", None)
        if forget is not None:
            await forget(bot_id, user_id)

    async def close(self) -> None:
        """Close both stores."""
        await self._primary.close()
        await self._fallback.close()
