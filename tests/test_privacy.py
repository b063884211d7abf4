"""The vault: keyed pseudonyms and authenticated encryption."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag

from bot.storage.vault import Vault


def test_person_key_is_stable_keyed_and_hides_the_id(vault: Vault) -> None:
    key = vault.person_key(123456789)
    assert key == vault.person_key(123456789)
    assert key != vault.person_key(123456780)
    assert "123456789" not in key
    assert key != Vault(b"another-secret-key-0123456789").person_key(123456789)


def test_chat_id_round_trips_and_is_bound_to_its_owner(vault: Vault) -> None:
    token = vault.encrypt_chat_id(-1001234567890, "owner-a")
    assert "1234567890" not in token
    assert vault.decrypt_chat_id(token, "owner-a") == -1001234567890
    with pytest.raises(InvalidTag):
        vault.decrypt_chat_id(token, "owner-b")


def test_encryption_is_randomised(vault: Vault) -> None:
    assert vault.encrypt(b"same") != vault.encrypt(b"same")


def test_short_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 16"):
        Vault(b"short")
