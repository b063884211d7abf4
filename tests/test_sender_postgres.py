"""Senders on the real PostgreSQL: two share one outbox and every row goes out exactly once;
an outage right after Telegram took a batch neither repeats it nor holds it for the lease."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import SQLAlchemyError

from bot.proactive.outbox import NewMessage
from bot.storage.models import Person
from bot.storage.vault import Vault
from simulator.faults import Fault
from tests.helpers.databases import postgres_database
from tests.helpers.faulty_proxy import faulty_proxy
from tests.test_sender import Rig, rig_on, sent_to

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


async def test_an_outage_after_telegram_took_a_batch_neither_repeats_nor_delays_it(
    vault: Vault
) -> None:
    async with postgres_database() as url, faulty_proxy("127.0.0.1", 5432) as pg:
        proxied = url.replace("@127.0.0.1:5432/", f"@127.0.0.1:{pg.port}/")
        async with rig_on(proxied, vault) as rig:
            people = [await rig.person() for _ in range(2)]
            for _, key in people:
                await rig.queue(key, ["a"])
            sender = rig.sender()
            answer = asyncio.Event()
            rig.emu.faults.arm("sendMessage", Fault.slow(answer), Fault.slow(answer))
            sending = asyncio.create_task(sender.run_once())
            while rig.emu.faults.used < 2:  # both sends are at Telegram
                await asyncio.sleep(0.01)
            await pg.refuse()  # PostgreSQL goes down while Telegram is answering
            answer.set()
            with pytest.raises((SQLAlchemyError, OSError)):
                await sending
            await pg.restore()
            assert await sender.run_once() == 0  # the batch is settled first, nothing new
            assert await rig.outbox.counts() == {"sent": 2}
            rig.time.advance(600)  # well past the claim's lease: nothing is taken back
            assert await sender.run_once() == 0
            assert [sent_to(rig, user) for user, _ in people] == [["nudge a"], ["nudge a"]]
