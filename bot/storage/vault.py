"""Pseudonymous ids and encryption at rest, so no clear Telegram id ever reaches storage.

Keys (docs/keys.md): every secret is stretched once, at start, with scrypt and the install's
salt (SOKH_KEY_SALT); sub-keys for each purpose come from that root with HKDF. Every stored
ciphertext and pseudonym starts with the short id of the key that made it (`3f9a:...`), so
`python run_bot.py keys rotate` can find and rewrite what an older key made. Data written
before key ids existed (no prefix) is read with the old unsalted derivation of the oldest
secret, and rewritten by the same command.

A pseudonym cannot be recomputed from the Telegram id when rotating (the id is not stored),
so a pseudonym is a chain: each key hashes what the previous key made. Rotation applies the
new key's step to the stored value; lookups run the whole chain (one HMAC per key, cheap).
Old secrets must therefore stay configured (SOKH_OLD_SECRET_KEYS) for pseudonyms to match.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

_NONCE_BYTES = 12
MIN_SECRET_CHARS = 32
MIN_SALT_CHARS = 16
# scrypt work factor: 64 MiB and about half a second, paid once per process, never per message.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**16, 8, 1
SEP = ":"
_KID_CHARS = 4
# Stored pseudonym columns are 40 characters: 4 for the key id, 1 separator, 35 hex digits.
_DIGEST_CHARS = 40 - _KID_CHARS - len(SEP)

# Pseudonym contexts: the same person gets unrelated keys in each, so a database reader
# cannot join a person's private rows (cases, travel) to the groups where they hold a role.
PERSON, ROLE, CASE, TOKEN = "person", "group-role", "case", "token"
# Person keys remembered in memory (never stored): each update needs its sender's key several
# times, and a first contact on campaign day is a thousand new ones.
PERSON_KEYS_KEPT = 50_000
CONTEXTS = (PERSON, ROLE, CASE, TOKEN)


def _hkdf(root: bytes, purpose: str) -> bytes:
    info = f"sokh/{purpose}".encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(root)


@lru_cache(maxsize=8)
def _stretch(secret: bytes, salt: bytes) -> bytes:
    """The slow, salted root key of a secret; cached so tests and restarts pay it once."""
    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(secret)


@dataclass(frozen=True)
class _Key:
    """One generation of keys: its id, an AEAD and a hash key per pseudonym context."""

    kid: str
    aead: AESGCM
    hash_keys: dict[str, bytes]
    # Keyed once: copying a keyed HMAC skips re-deriving its pads on every message.
    _keyed: dict[str, hmac.HMAC] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keyed = {c: hmac.new(k, digestmod=hashlib.sha256) for c, k in self.hash_keys.items()}
        object.__setattr__(self, "_keyed", keyed)

    def step(self, context: str, value: str) -> str:
        """One link of a pseudonym chain."""
        mac = self._keyed[context].copy()
        mac.update(value.encode())
        digest = mac.hexdigest()
        if not self.kid:  # the format before key ids: 40 hex digits, one key for all contexts
            return digest[:40]
        return f"{self.kid}{SEP}{digest[:_DIGEST_CHARS]}"


def _legacy_key(secret: bytes) -> _Key:
    """The unsalted HKDF derivation used before key ids, kept only to read and rotate."""
    hash_key = _hkdf(secret, "person-id/v1")
    return _Key("", AESGCM(_hkdf(secret, "at-rest/v1")), dict.fromkeys(CONTEXTS, hash_key))


def _salted_key(secret: bytes, salt: bytes) -> _Key:
    root = _stretch(secret, salt)
    kid = _hkdf(root, "key-id/v2").hex()[:_KID_CHARS]
    hash_keys = {context: _hkdf(root, f"pseudonym/{context}/v2") for context in CONTEXTS}
    return _Key(kid, AESGCM(_hkdf(root, "at-rest/v2")), hash_keys)


def key_id(value: str) -> str:
    """The key id a stored ciphertext or pseudonym carries ('' for the old format)."""
    kid, sep, _ = value.partition(SEP)
    return kid if sep else ""


class Vault:
    """Keyed pseudonyms and AES-GCM encryption from SOKH_SECRET_KEY and SOKH_KEY_SALT."""

    def __init__(self, secret: bytes, salt: bytes, old_secrets: Sequence[bytes] = ()) -> None:
        secrets = [*old_secrets, secret]
        if any(len(s) < MIN_SECRET_CHARS for s in secrets):
            raise ValueError(f"SOKH_SECRET_KEY must be at least {MIN_SECRET_CHARS} characters")
        if len(salt) < MIN_SALT_CHARS:
            raise ValueError(f"SOKH_KEY_SALT must be at least {MIN_SALT_CHARS} characters")
        # Oldest first: the chain starts where the oldest data was made.
        self._chain = [_legacy_key(secrets[0]), *(_salted_key(s, salt) for s in secrets)]
        self._by_kid = {key.kid: key for key in self._chain}
        if len(self._by_kid) != len(self._chain):
            raise ValueError("two secrets share a key id; generate another SOKH_SECRET_KEY")
        self._current = self._chain[-1]
        self._person_keys: dict[int, str] = {}

    @property
    def key_id(self) -> str:
        """The id of the key new data is written with."""
        return self._current.kid

    @property
    def prefix(self) -> str:
        """What every ciphertext and pseudonym written now starts with."""
        return self._current.kid + SEP

    def person_key(self, telegram_id: int) -> str:
        """The stable pseudonymous key of a person (profile, cases, schedules, trail)."""
        key = self._person_keys.get(telegram_id)
        if key is None:
            if len(self._person_keys) >= PERSON_KEYS_KEPT:
                self._person_keys.clear()  # simpler than an LRU, and as cheap on average
            key = self._person_keys[telegram_id] = self._chained(PERSON, str(telegram_id),
                                                                 self._chain)
        return key

    def role_key(self, telegram_id: int) -> str:
        """The key of the same person in group tables: unrelated to person_key()."""
        return self._chained(ROLE, str(telegram_id), self._chain)

    def case_key(self, person_key: str) -> str:
        """The key of a person's counsellor cases, from their (current) person key.

        Derived from the person key rather than the id: the stores that hold cases are only
        ever given person keys. Unrelated to it without the secret.
        """
        return self._current.step(CASE, person_key)

    def case_key_under(self, person_key: str) -> str:
        """The case key stored beside an older person key (rotation); itself if pre-kid."""
        kid = key_id(person_key)
        return self._chain[self._index(kid)].step(CASE, person_key) if kid else person_key

    def pseudonym(self, value: str) -> str:
        """A keyed hash of any string, for short-lived keys and signatures (never stored)."""
        return self._current.step(TOKEN, value)[-_DIGEST_CHARS:]

    def advance(self, context: str, stored: str) -> str:
        """Bring a stored pseudonym made by an older key to the current key (rotation)."""
        later = self._chain[self._index(key_id(stored)) + 1:]
        return self._chained(context, stored, later)

    def encrypt(self, plaintext: bytes, context: bytes = b"") -> str:
        """Encrypt bytes; the context binds the ciphertext to where it is stored."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._current.aead.encrypt(nonce, plaintext, context)
        return self.prefix + base64.urlsafe_b64encode(nonce + sealed).decode()

    def decrypt(self, token: str, context: bytes = b"") -> bytes:
        """Reverse encrypt() with whichever key made it; InvalidTag if altered or misbound."""
        kid, sep, body = token.partition(SEP)
        key, body = (self._chain[self._index(kid)], body) if sep else (self._chain[0], token)
        raw = base64.urlsafe_b64decode(body.encode())
        return key.aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context)

    def reencrypt(self, token: str, old_context: bytes, new_context: bytes) -> str:
        """The same plaintext sealed with the current key (and, if it moved, a new binding)."""
        return self.encrypt(self.decrypt(token, old_context), new_context)

    def encrypt_chat_id(self, chat_id: int, person_key: str) -> str:
        """Encrypt the chat id needed to reply, bound to its owner's key."""
        return self.encrypt(str(chat_id).encode(), person_key.encode())

    def decrypt_chat_id(self, token: str, person_key: str) -> int:
        """Recover the chat id stored by encrypt_chat_id()."""
        return int(self.decrypt(token, person_key.encode()))

    def _index(self, kid: str) -> int:
        for index, key in enumerate(self._chain):
            if key.kid == kid:
                return index
        raise KeyError(f"no configured secret has key id {kid!r} (SOKH_OLD_SECRET_KEYS?)")

    @staticmethod
    def _chained(context: str, value: str, keys: Sequence[_Key]) -> str:
        for key in keys:
            value = key.step(context, value)
        return value
