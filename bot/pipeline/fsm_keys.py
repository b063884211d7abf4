"""FSM storage keys that do not reveal Telegram ids, even in Redis."""

from __future__ import annotations

from typing import Literal

from aiogram.fsm.storage.base import DefaultKeyBuilder, KeyBuilder, StorageKey

from bot.storage.vault import Vault


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
