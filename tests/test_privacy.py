"""The vault: keyed pseudonyms and authenticated encryption, salted slow keys with key ids."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bot.storage.vault import PERSON, ROLE, Vault, key_id
from tests.helpers.harness import TEST_SALT, TEST_SECRET

OTHER_SECRET = b"another-secret-key-0123456789-abcdef"
PSEUDONYM = re.compile(r"[0-9a-f]{4}:[0-9a-f]{35}")


def _legacy(secret: bytes, purpose: bytes) -> bytes:
    """The derivation used before key ids (unsalted HKDF), to write old-format data."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret)


def test_person_key_is_stable_keyed_and_hides_the_id(vault: Vault) -> None:
    key = vault.person_key(123456789)
    assert key == vault.person_key(123456789)
    assert key != vault.person_key(123456780)
    assert "123456789" not in key
    assert key != Vault(OTHER_SECRET, TEST_SALT.encode()).person_key(123456789)


def test_the_salt_changes_every_key(vault: Vault) -> None:
    other = Vault(TEST_SECRET.encode(), b"another-install-salt")
    assert other.person_key(5) != vault.person_key(5)
    assert other.key_id != vault.key_id
    with pytest.raises(KeyError, match="no configured secret"):
        other.decrypt(vault.encrypt(b"x"))


def test_pseudonyms_and_ciphertexts_carry_the_key_id(vault: Vault) -> None:
    assert PSEUDONYM.fullmatch(vault.person_key(42))
    assert vault.person_key(42).startswith(vault.prefix)
    assert vault.encrypt(b"x").startswith(vault.prefix)
    assert key_id(vault.encrypt(b"x")) == vault.key_id


def test_group_roles_and_private_rows_use_unrelated_keys(vault: Vault) -> None:
    # A database reader must not join someone's case or travel plan to their named group.
    assert vault.role_key(42) != vault.person_key(42)
    assert vault.role_key(42)[5:] not in vault.person_key(42)
    assert PSEUDONYM.fullmatch(vault.role_key(42))
    person = vault.person_key(42)
    assert PSEUDONYM.fullmatch(vault.case_key(person))
    assert len({person, vault.role_key(42), vault.case_key(person)}) == 3
    assert vault.case_key_under(person) == vault.case_key(person)


def test_chat_id_round_trips_and_is_bound_to_its_owner(vault: Vault) -> None:
    token = vault.encrypt_chat_id(-1001234567890, "owner-a")
    assert "1234567890" not in token
    assert vault.decrypt_chat_id(token, "owner-a") == -1001234567890
    with pytest.raises(InvalidTag):
        vault.decrypt_chat_id(token, "owner-b")


def test_encryption_is_randomised(vault: Vault) -> None:
    assert vault.encrypt(b"same") != vault.encrypt(b"same")


@pytest.mark.parametrize(("secret", "salt", "problem"), [
    (b"short", TEST_SALT.encode(), "at least 32"),
    (b"s" * 31, TEST_SALT.encode(), "at least 32"),
    (TEST_SECRET.encode(), b"", "SOKH_KEY_SALT"),
    (TEST_SECRET.encode(), b"short-salt", "SOKH_KEY_SALT"),
])
def test_weak_secrets_and_salts_are_refused(secret: bytes, salt: bytes, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        Vault(secret, salt)


def test_the_kdf_is_slow_once_and_the_hot_path_fast() -> None:
    started = time.perf_counter()
    Vault(b"a-secret-no-other-test-uses-0123456789", b"a-fresh-salt-for-this-test")
    stretch_s = time.perf_counter() - started
    vault = Vault(b"a-secret-no-other-test-uses-0123456789", b"a-fresh-salt-for-this-test")
    started = time.perf_counter()
    for telegram_id in range(10_000):
        vault.person_key(telegram_id)
    per_key_s = (time.perf_counter() - started) / 10_000
    assert stretch_s > 0.05, "scrypt's work factor must make each guess of the secret costly"
    # A ratio within one run, so a loaded machine cannot fail it: the KDF runs once per start.
    assert per_key_s < stretch_s / 100, "a person's key is a few HMACs, never the KDF"


def test_old_format_data_is_still_read() -> None:
    secret = TEST_SECRET.encode()
    aead = AESGCM(_legacy(secret, b"sokh/at-rest/v1"))
    sealed = aead.encrypt(b"\0" * 12, b"777", b"ctx")
    old_token = base64.urlsafe_b64encode(b"\0" * 12 + sealed).decode()
    vault = Vault(secret, TEST_SALT.encode())
    assert key_id(old_token) == ""
    assert vault.decrypt(old_token, b"ctx") == b"777"
    old_key = hmac.new(_legacy(secret, b"sokh/person-id/v1"), b"42", hashlib.sha256)
    assert vault.advance(PERSON, old_key.hexdigest()[:40]) == vault.person_key(42)
    assert vault.advance(ROLE, old_key.hexdigest()[:40]) == vault.role_key(42)


def test_a_new_secret_reads_the_old_and_continues_its_pseudonyms(vault: Vault) -> None:
    rotated = Vault(OTHER_SECRET, TEST_SALT.encode(), [TEST_SECRET.encode()])
    assert rotated.key_id != vault.key_id
    old_token = vault.encrypt(b"kept", b"ctx")
    assert rotated.decrypt(old_token, b"ctx") == b"kept"
    assert rotated.reencrypt(old_token, b"ctx", b"ctx").startswith(rotated.prefix)
    assert rotated.advance(PERSON, vault.person_key(7)) == rotated.person_key(7)
    assert rotated.advance(PERSON, rotated.person_key(7)) == rotated.person_key(7)
    with pytest.raises(KeyError):
        Vault(OTHER_SECRET, TEST_SALT.encode()).decrypt(old_token, b"ctx")
