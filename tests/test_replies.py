"""A redelivered update does not repeat what the dead worker already sent (real Redis, the
emulator over HTTP)."""

from __future__ import annotations

import uuid

from redis.asyncio import Redis

from bot.pipeline.replies import ReplyLedger
from bot.storage.vault import Vault
from simulator.emulator import BotApiEmulator
from tests.helpers.databases import REDIS_TEST_URL
from tests.helpers.emulator_client import bot_for
from tests.helpers.harness import TOKEN


async def test_a_takeover_replays_the_dead_workers_sends_and_sends_the_rest(
    vault: Vault
) -> None:
    redis = Redis.from_url(REDIS_TEST_URL)
    update_id = uuid.uuid4().int % 10**9
    async with BotApiEmulator(token=TOKEN) as emu:
        dara = emu.add_user(language_code="en")
        emu.send_text(dara, "/menu")
        chat = emu.private_chat(dara)
        dead, alive = bot_for(emu), bot_for(emu)
        for bot in (dead, alive):
            bot.session.middleware(ReplyLedger(redis, vault, bot.id))
        ledger = ReplyLedger(redis, vault, dead.id)
        try:
            async with ledger.handling(update_id, again=False):
                first = await dead.send_message(dara.id, "one")
                # killed here: the update was never marked done
            other = ReplyLedger(redis, vault, alive.id)
            async with other.handling(update_id, again=True):
                replayed = await alive.send_message(dara.id, "one")
                rest = await alive.send_message(dara.id, "two")
            # A fresh delivery of another update sends as usual.
            async with other.handling(update_id + 1, again=True):
                await alive.send_message(dara.id, "three")
        finally:
            for bot in (dead, alive):
                await bot.session.close()
            stored = await redis.hgetall(f"sokh:replies:{dead.id}:{update_id}")
            await redis.delete(f"sokh:replies:{dead.id}:{update_id}",
                               f"sokh:replies:{dead.id}:{update_id + 1}")
            await redis.aclose()
    texts = [m.text for m in emu.chat_messages(chat) if m.from_bot]
    assert texts == ["one", "two", "three"]
    assert replayed.message_id == first.message_id and replayed.text == "one"
    assert rest.message_id != first.message_id
    # Recorded sealed: no text in clear in Redis.
    assert stored and all(b"one" not in value for value in stored.values())
