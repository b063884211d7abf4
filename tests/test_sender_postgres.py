"""Two senders share one outbox on the real PostgreSQL: every row goes out exactly once."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

from sqlalchemy import insert

from bot.proactive.outbox import NewMessage
from bot.storage.models import Person
from bot.storage.vault import Vault
from tests.helpers.databases import postgres_database
from tests.test_sender import Rig, rig_on

ROWS = 5000


async def _crowd(rig: Rig, size: int) -> list[NewMessage]:
    """`size` people who started the bot, stored in bulk, each with one queued nudge."""
    users = [rig.emu.add_user(username=None) for _ in range(size)]
    messages, people = [], []
    for user in users:
        rig.emu.private_chat(user).started = True
        key = rig.vault.person_key(user.id)
        enc = rig.vault.encrypt_chat_id(user.id, key)
        people.append({"key": key, "chat_id_enc": enc, "language": "en",
                       "created_at": rig.time(), "last_seen_at": rig.time()})
        messages.append(NewMessage(key, "test", "1", enc, "en", {}, rig.time()))
    async with rig.engine.begin() as conn:
        await conn.execute(insert(Person), people)
    return messages


async def test_two_senders_deliver_5000_rows_exactly_once(vault: Vault) -> None:
    async with postgres_database() as url, rig_on(url, vault) as rig:
        await rig.outbox.enqueue(await _crowd(rig, ROWS))
        senders = [rig.sender(paid=True, exclusive=False, idle_s=0.05, batch=20,
                              monotonic=time.monotonic, sleep=asyncio.sleep)
                   for _ in range(2)]
        stop = asyncio.Event()
        runs = [asyncio.create_task(s.run(stop)) for s in senders]
        while (await rig.outbox.counts()).get("sent", 0) < ROWS:
            await asyncio.sleep(0.2)  # real senders at work; the test only watches
        stop.set()
        await asyncio.gather(*runs)
        sends = Counter(c.params["chat_id"] for c in rig.emu.calls("sendMessage") if c.ok)
        assert len(sends) == ROWS and set(sends.values()) == {1}
        assert await rig.outbox.counts() == {"sent": ROWS}
        assert all(s.sent_total > 0 for s in senders), "both senders took a share"
