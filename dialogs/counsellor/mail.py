"""Queue a case's messages in both directions, for the relay's sender (relay.py).

Rows are keyed by the Telegram message id they come from, so each direction keeps the
order people and counsellors wrote in; the words travel encrypted.
"""

from __future__ import annotations

import re
from typing import Any

from aiogram.types import Message

from bot.proactive.relay_queue import RelayQueue, relay_message
from bot.runtime.clock import Clock
from bot.storage.cases import CaseInfo
from bot.storage.vault import Vault

_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")


def sealing(case_id: int) -> bytes:
    """What a row's words are bound to when encrypted: their case."""
    return f"relay:{case_id}".encode()


class CaseMail:
    """Queues a case's messages in both directions (rows for bot/proactive/relay.py)."""

    def __init__(self, queue: RelayQueue, vault: Vault, clock: Clock) -> None:
        self.queue, self.vault, self.clock = queue, vault, clock

    def seal(self, case: CaseInfo, text: str) -> str:
        """The words of a message, encrypted for the queue."""
        return self.vault.encrypt(text.encode(), sealing(case.id))

    def _base(self, case: CaseInfo, forum: int) -> dict[str, Any]:
        return {"to": forum, "th": case.topic_id, "alias": case.alias, "urgent": case.urgent}

    async def put(self, case: CaseInfo, direction: str, seq: int, what: str,
                  payload: dict[str, Any]) -> None:
        """Queue one row of this case: `direction` in or out, in order of `seq`."""
        enc = self.vault.encrypt_chat_id(case.chat_id, case.person_key)
        await self.queue.put([relay_message(case.id, case.person_key, direction, seq, what,
                                            enc, case.language, payload, self.clock())])

    async def from_person(self, case: CaseInfo, forum: int, message: Message,
                          risk: str | None, edit: bool = False) -> None:
        """Queue a person's message (or their edit of it) for their topic."""
        payload = {**self._base(case, forum), "msg": message.message_id, "risk": risk or ""}
        words = message.text if message.text is not None else message.caption
        if words is not None:
            payload.update(sealed=self.seal(case, words), size=len(words))
        if message.text is not None:
            payload.update(k="text", merge=not edit)
        else:
            payload.update(k="copy", kind=message.content_type)
            if message.document is not None:
                payload["file"] = message.document.file_id
                payload["ext"] = _extension(message.document.file_name)
        # 'rev…' sorts after 'msg': an edit follows the message it changes.
        what = f"rev{message.edit_date or 0:012d}" if edit else "msg"
        if edit:
            payload["k"] = "edit"
        await self.put(case, "in", message.message_id, what, payload)

    async def note(self, case: CaseInfo, forum: int, what: str, text: str,
                   thread: bool = True, take: bool = False) -> None:
        """Queue a note of the bot's own for a new case (its topic, or General), first."""
        payload = {**self._base(case, forum), "k": "note", "text": text, "take": take}
        if not thread:
            payload["th"] = None
        await self.put(case, "in", 0, what, payload)

    async def to_person(self, case: CaseInfo, seq: int, what: str,
                        payload: dict[str, Any]) -> None:
        """Queue something for the person (a counsellor's message, joined, closed), in the
        order of the forum message `seq` that caused it."""
        await self.put(case, "out", seq, what, {"urgent": case.urgent, **payload})


def _extension(name: str | None) -> str:
    """Only the kind of file survives (`.pdf`), never its name."""
    found = _EXTENSION.search(name or "")
    return found.group(0).lower() if found else ""
