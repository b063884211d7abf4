"""Campaign day's "done when" (issue 17): four webhook workers, a scheduler and two senders as
real `run_bot.py --role ...` processes on the machine's PostgreSQL and Redis, behind a load
balancer, against the emulator. Many people write at once; one web worker is killed with
SIGKILL mid-load. Every person gets every reply, in order; nothing is sent twice except a
reply the killed worker had sent and never heard back about (docs/deploy.md).
"""

from __future__ import annotations

import asyncio
from collections import Counter

from simulator.emulator import BotApiEmulator
from tests.helpers.databases import REDIS_TEST_URL, forget_redis_keys, postgres_database
from tests.helpers.fleet import EXPECTED, STEPS, converse, fleet, heard
from tests.helpers.harness import TOKEN

PEOPLE = 100
BOT_ID = TOKEN.split(":")[0]
KEYS = (f"sokh:update:{BOT_ID}:*", "sokh:turn*", "sokh:worker:*", "sokh:scheduler*")


async def test_four_web_workers_lose_nothing_through_a_kill_9() -> None:
    await forget_redis_keys(*KEYS)
    async with postgres_database() as url, BotApiEmulator(token=TOKEN) as emu:
        async with fleet(emu, url, REDIS_TEST_URL, web=4, schedulers=1, senders=2) as crew:
            people = [emu.add_user(f"P{n}", None, "en") for n in range(PEOPLE)]
            load = asyncio.create_task(converse(emu, people, timeout=45))
            total = PEOPLE * len(STEPS)
            while sum(len(heard(emu, p)) for p in people) < total // 3 and not load.done():
                await asyncio.sleep(0.02)
            killed_at = sum(len(heard(emu, p)) for p in people)
            crew.kill("web1")  # mid-load: it holds updates it will never answer
            await load
            await emu.wait_idle(timeout=10)
            assert await asyncio.wait_for(crew.processes["web1"].wait(), 5) == -9
        assert killed_at < total, "the load was over before the kill"
        died_with = crew.balancer.failed  # deliveries in the killed worker's hands
        heard_by = [heard(emu, person) for person in people]
        # Nothing lost, nothing out of order: each person heard hotlines, menu, hotlines.
        assert all(_once_each(letters) == EXPECTED for letters in heard_by), Counter(heard_by)
        # Repeated only what the killed worker had sent without living to record it (Telegram
        # did the call; its answer never came back): at most once per delivery it died with.
        repeated = sum(len(letters) - len(EXPECTED) for letters in heard_by)
        assert repeated <= died_with, (repeated, died_with, Counter(heard_by))
        sent = Counter(call.params["chat_id"] for call in emu.calls("sendMessage") if call.ok)
        assert sum(sent.values()) == len(people) * len(STEPS) + repeated
        assert not [e for e in emu.errors if e.error_code != 409], emu.errors[:3]
    await forget_redis_keys(*KEYS)


def _once_each(letters: str) -> str:
    """The replies with a repeat of the one before dropped."""
    return "".join(c for n, c in enumerate(letters) if n == 0 or letters[n - 1] != c)
