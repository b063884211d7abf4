"""Pseudonymous ids and encryption at rest, so no clear Telegram id ever reaches storage."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_NONCE_BYTES = 12


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


class Vault:
    """Keyed hashing of ids and AES-GCM encryption, both keyed from SOKH_SECRET_KEY."""

    def __init__(self, master_key: bytes) -> None:
        if len(master_key) < 16:
            raise ValueError("SOKH_SECRET_KEY must be at least 16 characters")
        self._hash_key = _derive(master_key, b"sokh/person-id/v1")
        self._aead = AESGCM(_derive(master_key, b"sokh/at-rest/v1"))

    def person_key(self, telegram_id: int) -> str:
        """Return the stable pseudonymous key for a Telegram user or chat id."""
        return self.pseudonym(str(telegram_id))

    def pseudonym(self, value: str) -> str:
        """A keyed hash of any identifying string, for keys that must not reveal it."""
        digest = hmac.new(self._hash_key, value.encode(), hashlib.sha256)
        return digest.hexdigest()[:40]

    def encrypt(self, plaintext: bytes, context: bytes = b"") -> str:
        """Encrypt bytes; the context binds the ciphertext to where it is stored."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plaintext, context)
        return base64.urlsafe_b64encode(nonce + sealed).decode()

    def decrypt(self, token: str, context: bytes = b"") -> bytes:
        """Reverse encrypt(); raises InvalidTag if the data or context was altered."""
        raw = base64.urlsafe_b64decode(token.encode())
        return self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context)

    def encrypt_chat_id(self, chat_id: int, person_key: str) -> str:
        """Encrypt the chat id needed to reply, bound to its owner's key."""
        return self.encrypt(str(chat_id).encode(), person_key.encode())

    def decrypt_chat_id(self, token: str, person_key: str) -> int:
        """Recover the chat id stored by encrypt_chat_id()."""
        return int(self.decrypt(token, person_key.encode()))
