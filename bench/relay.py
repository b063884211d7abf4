"""Relay latency: 50 people in open cases write at once; time until the copy is in the topic.

`make bench` calls relay_metrics(); `python -m bench.relay` prints the figures as JSON.
The bot runs as its own process (as deployed) against the emulator, on SQLite in a temporary
folder. People write at a brisk typing pace (a message every 0.5-1.5 s each, about 50
messages/s in all), as 50 real conversations would; `updates.p99_ms` covers flat-out load.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.collector import quiet_collector
from simulator import BotApiEmulator, SimUser
from simulator.state import SimChat, SimMessage
from tests.helpers.harness import TEST_SALT, TEST_SECRET, TOKEN

CASES, MESSAGES_EACH = 50, 10
FORUM_ID = -1009000000001
ROOT = Path(__file__).resolve().parent.parent


async def _bot(emu: BotApiEmulator, folder: str) -> asyncio.subprocess.Process:
    env = {**os.environ, "BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": emu.base_url,
           "DATABASE_URL": f"sqlite+aiosqlite:///{folder}/relay.db",
           "SOKH_SECRET_KEY": TEST_SECRET, "SOKH_KEY_SALT": TEST_SALT, "LOG_LEVEL": "WARNING",
           "FLOOD_LIMIT": str(10**9), "COUNSELLOR_CHAT_ID": str(FORUM_ID),
           "COUNSELLOR_LANGUAGE": "en", "COUNSELLOR_OPEN_HOUR": "0",
           "COUNSELLOR_CLOSE_HOUR": "24"}
    process = await asyncio.create_subprocess_exec(sys.executable, "run_bot.py", cwd=ROOT,
                                                   env=env)
    while not emu.calls("deleteWebhook"):
        await asyncio.sleep(0.05)
    return process


async def _reply(emu: BotApiEmulator, user: SimUser, action: object) -> SimMessage:
    waiting = asyncio.ensure_future(emu.wait_for_bot_message(emu.private_chat(user), 30))
    action()  # type: ignore[operator]
    return await waiting


async def _open_case(emu: BotApiEmulator, person: SimUser) -> None:
    crisis = await _reply(emu, person, lambda: emu.send_text(person, "my stepfather hurts me"))
    offer = "💬 Talk to a counsellor"
    consent = await _reply(emu, person, lambda: emu.click(person, crisis, offer))
    await _reply(emu, person, lambda: emu.click(person, consent, "✅ Yes, start"))


async def _person(emu: BotApiEmulator, forum: SimChat, person: SimUser,
                  latencies: list[float]) -> None:
    pace = random.Random(person.id)
    for n in range(MESSAGES_EACH):
        await asyncio.sleep(pace.uniform(0.5, 1.5))
        marker = f"message {n} from {person.first_name}"
        waiting = asyncio.ensure_future(emu.wait_for_bot_message(
            forum, 30, lambda m, marker=marker: m.text == marker))  # type: ignore[misc]
        started = time.perf_counter()
        emu.send_text(person, marker)
        await waiting
        latencies.append((time.perf_counter() - started) * 1000)


async def relay_metrics() -> dict[str, float]:
    """Relay latency (ms) person → forum topic with CASES cases open at once."""
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        async with BotApiEmulator(token=TOKEN) as emu:
            forum = emu.add_group("Counsellors", is_forum=True, chat_id=FORUM_ID,
                                  admins=[emu.add_user("Vanna", None, "en")])
            process = await _bot(emu, folder)
            try:
                people = [emu.add_user(f"P{n}", None, "en") for n in range(CASES)]
                await asyncio.gather(*(_open_case(emu, p) for p in people))
                with quiet_collector():
                    await asyncio.gather(*(_person(emu, forum, p, latencies) for p in people))
            finally:
                process.send_signal(signal.SIGTERM)
                await process.wait()
    cuts = statistics.quantiles(latencies, n=100)
    return {"relay.p50_ms": round(cuts[49], 1), "relay.p99_ms": round(cuts[98], 1)}


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    print(json.dumps(asyncio.run(relay_metrics()), indent=2))
