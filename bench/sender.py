"""Outbox benchmarks: the rate-limited sender, paid broadcast, bulk enqueue, kill -9.

20,000 nudges at Telegram's 30/s take 11 minutes of wall time, so that run uses a virtual
clock shared by the sender's limits and the emulator's limiter (both are injectable): the
emulator still answers 429 whenever a limit is exceeded. A short real-time run checks the
same pacing against the wall clock.
"""

from __future__ import annotations

import asyncio
import heapq
import json
import os
import resource
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.proactive.outbox import Claimed, NewMessage, Outbox
from bot.proactive.quiet import QuietHours
from bot.proactive.sender import Rendered, Sender, SenderConfig
from bot.runtime.clock import utc_now
from bot.runtime.transport import create_bot
from bot.storage import migrate
from bot.storage.database import create_engine, session_factory
from bot.storage.models import OutboxRow, Person, Schedule
from bot.storage.people import People
from bot.storage.vault import Vault
from simulator import BotApiEmulator
from simulator.limits import RateLimiter
from tests.helpers.databases import postgres_database
from tests.helpers.harness import TEST_SALT, TEST_SECRET, settings_for

ROOT = Path(__file__).resolve().parent.parent
NUDGES, PEOPLE = 20_000, 2_000
NO_QUIET = QuietHours(0, 0, utc_now().tzinfo)  # type: ignore[arg-type]
VAULT = Vault(TEST_SECRET.encode(), TEST_SALT.encode())


class VirtualClock:
    """Monotonic time that jumps to the next sleeper's wake-up, one sleeper at a time."""

    def __init__(self) -> None:
        self.now, self._seq = 0.0, 0
        self._timers: list[Any] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            return
        future = asyncio.get_running_loop().create_future()
        self._seq += 1
        heapq.heappush(self._timers, (self.now + seconds, self._seq, future))
        await future

    async def drive(self, stop: asyncio.Event) -> None:
        """Wake sleepers in time order, leaving real time for each wake-up's request."""
        while not stop.is_set():
            await asyncio.sleep(0.0005)
            if self._timers:
                when, _, future = heapq.heappop(self._timers)
                self.now = max(self.now, when)
                future.set_result(None)


def render(row: Claimed) -> Rendered:
    """Bench messages: the step says which nudge it is, so duplicates can be counted."""
    return Rendered(f"nudge {row.step}")


async def crowd(url: str, emu: BotApiEmulator, people: int, each: int) -> AsyncEngine:
    """A migrated database with `people` people and `each` queued nudges per person."""
    engine = create_engine(url)
    await migrate.upgrade(engine)
    now, rows, messages = utc_now(), [], []
    for _ in range(people):
        user = emu.add_user(username=None)
        emu.private_chat(user).started = True
        key = VAULT.person_key(user.id)
        enc = VAULT.encrypt_chat_id(user.id, key)
        rows.append({"key": key, "chat_id_enc": enc, "language": "en", "created_at": now,
                     "last_seen_at": now})
        messages.append((key, enc))
    async with engine.begin() as conn:
        await conn.execute(insert(Person), rows)
    # Round-robin order: consecutive rows go to different people, as real due rows do.
    queue = [NewMessage(k, "bench", str(n), e, "en", {}, now)
             for n in range(each) for k, e in messages]
    for start in range(0, len(queue), 5000):
        await Outbox(session_factory(engine)).enqueue(queue[start:start + 5000])
    return engine


def sender_for(emu: BotApiEmulator, engine: AsyncEngine, **config: Any) -> Sender:
    """A sender on its own bot session, sending `render`ed bench nudges."""
    bot = create_bot(settings_for(emu, "sqlite://"))
    people = People(session_factory(engine), VAULT, utc_now)
    return Sender(bot, Outbox(session_factory(engine)), people, VAULT, render, utc_now,
                  NO_QUIET, SenderConfig(**config))


async def drain(sender: Sender, total: int) -> None:
    """Run the sender until `total` rows are sent."""
    while sender.sent_total < total:
        if await sender.run_once() == 0:
            await asyncio.sleep(0.01)
    await sender.bot.session.close()


async def rate_limited(folder: str, people: int, each: int, virtual: bool) -> dict[str, float]:
    """Nudges through the emulator with Telegram's limits enforced."""
    clock = VirtualClock()
    async with BotApiEmulator(enforce_limits=True) as emu:
        timing = {"monotonic": clock.monotonic, "sleep": clock.sleep} if virtual else {}
        if virtual:
            emu.limiter = RateLimiter(clock=clock.monotonic)
        engine = await crowd(f"sqlite+aiosqlite:///{folder}/limited{virtual}.db", emu, people,
                             each)
        sender, stop = sender_for(emu, engine, **timing), asyncio.Event()
        driver = asyncio.create_task(clock.drive(stop))
        started, wall = clock.now, time.perf_counter()
        await drain(sender, people * each)
        stop.set()
        await driver
        elapsed = (clock.now - started) if virtual else time.perf_counter() - wall
        await engine.dispose()
        return {"per_s": people * each / elapsed, "violations": emu.limit_violations,
                "wall_s": time.perf_counter() - wall}


async def paid(url: str, rows: int = 5000) -> float:
    """Sender capacity with allow_paid_broadcast (one nudge to each of `rows` people)."""
    async with BotApiEmulator() as emu:
        engine = await crowd(url, emu, rows, 1)
        sender = sender_for(emu, engine, paid=True)
        started = time.perf_counter()
        await drain(sender, rows)
        elapsed = time.perf_counter() - started
        assert all(c.params.get("allow_paid_broadcast") for c in emu.calls("sendMessage"))
        await engine.dispose()
        return rows / elapsed


async def enqueue_100k(url: str, rows: int = 100_000) -> float:
    """Seconds for the nudge job to turn `rows` due course schedules into outbox rows."""
    from bot.content.store import ContentStore
    from bot.proactive.nudges import Nudges
    from bot.runtime.settings import REPO_ROOT, Settings

    engine = create_engine(url)
    await migrate.upgrade(engine)
    now = utc_now()
    people = [{"key": f"p{n:07d}", "chat_id_enc": "x", "language": "km", "created_at": now,
               "last_seen_at": now} for n in range(rows)]
    due = [{"person_key": f"p{n:07d}", "kind": "course", "status": "active", "step": n % 40,
            "next_due_at": now, "hour": 7, "every_days": 1} for n in range(rows)]
    async with engine.begin() as conn:
        await conn.execute(insert(Person), people)
        await conn.execute(insert(Schedule), due)
    if engine.dialect.name == "postgresql":  # what autovacuum does for a table this size
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("ANALYZE"))
    zone = Settings().timezone
    nudges = Nudges(session_factory(engine), ContentStore(REPO_ROOT / "content"), zone)
    started = time.perf_counter()
    assert await nudges.enqueue_due(now) == rows
    elapsed = time.perf_counter() - started
    async with engine.connect() as conn:
        # Every due row gives a tip; a theme's last tip brings the theme's quiz as well.
        queued = (await conn.execute(select(func.count()).select_from(OutboxRow))).scalar_one()
        assert queued >= rows
    await engine.dispose()
    return elapsed


async def crash_test(folder: str, people: int = 1000, each: int = 10) -> dict[str, float]:
    """kill -9 a sender subprocess mid-send, restart it, count what was lost or doubled."""
    total = people * each
    async with BotApiEmulator() as emu:
        url = f"sqlite+aiosqlite:///{folder}/crash.db"
        await (await crowd(url, emu, people, each)).dispose()
        first = await _child(url, emu.base_url)
        while sum(c.ok for c in emu.calls("sendMessage")) < total * 2 // 5:
            await asyncio.sleep(0.005)
        first.send_signal(signal.SIGKILL)
        await first.wait()
        in_flight = await _claimed(url)
        second = await _child(url, emu.base_url)
        out, _ = await second.communicate()
        sends = Counter((c.params["chat_id"], c.params["text"])
                        for c in emu.calls("sendMessage") if c.ok)
    return {"lost": total - len(sends), "duplicates": sum(n - 1 for n in sends.values()),
            "in_flight": in_flight, "rss": json.loads(out)["peak_rss_mb"]}


async def _child(url: str, api: str) -> asyncio.subprocess.Process:
    command = [sys.executable, "-m", "bench.sender", "child", url, api]
    return await asyncio.create_subprocess_exec(*command, cwd=ROOT, env=dict(os.environ),
                                                stdout=asyncio.subprocess.PIPE)


async def _claimed(url: str) -> int:
    engine = create_engine(url)
    query = select(func.count()).select_from(OutboxRow).where(OutboxRow.status == "sending")
    async with engine.connect() as conn:
        claimed = int((await conn.execute(query)).scalar() or 0)
    await engine.dispose()
    return claimed


async def child(url: str, api: str) -> None:
    """A sole sender process: take back claimed rows, send everything, report peak memory."""
    from pydantic import SecretStr

    from bot.runtime.settings import Settings
    from tests.helpers.harness import TOKEN

    engine = create_engine(url)
    bot = create_bot(Settings(bot_token=SecretStr(TOKEN), telegram_api_url=api))
    sender = Sender(bot, Outbox(session_factory(engine)),
                    People(session_factory(engine), VAULT, utc_now), VAULT, render, utc_now,
                    NO_QUIET, SenderConfig(paid=True))
    await sender.outbox.recover()
    while await sender.run_once() or _waiting(await sender.outbox.counts()):
        await asyncio.sleep(0.01)
    await bot.session.close()
    await engine.dispose()
    print(json.dumps({"peak_rss_mb": _peak_rss_mb()}))


def _peak_rss_mb() -> float:
    # VmHWM starts afresh at exec; ru_maxrss would include the parent's memory at fork.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _waiting(counts: dict[str, int]) -> bool:
    return bool(counts.get("pending") or counts.get("sending"))


async def _all() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        limited = await rate_limited(folder, PEOPLE, NUDGES // PEOPLE, virtual=True)
        real = await rate_limited(folder, 600, 1, virtual=False)
        paid_sqlite = await paid(f"sqlite+aiosqlite:///{folder}/paid.db")
        async with postgres_database() as url:
            paid_postgres = await paid(url)
        enqueue_s = await enqueue_100k(f"sqlite+aiosqlite:///{folder}/enqueue.db")
        async with postgres_database() as url:
            enqueue_pg_s = await enqueue_100k(url)
        crash = await crash_test(folder)
    with tempfile.TemporaryDirectory() as folder:
        small = await crash_test(folder, people=100, each=10)
    return {
        "sender.per_s": round(limited["per_s"], 1),
        "sender.limit_violations": int(limited["violations"]),
        "sender.per_s_wall_s": round(limited["wall_s"], 1),
        "sender.per_s_realtime_600": round(real["per_s"], 1),
        "sender.limit_violations_realtime": int(real["violations"]),
        "sender.paid_per_s_sqlite": round(paid_sqlite, 1),
        "sender.paid_per_s_postgres": round(paid_postgres, 1),
        "scheduler.enqueue_100k_s": round(enqueue_s, 2),
        "scheduler.enqueue_100k_s_postgres": round(enqueue_pg_s, 2),
        "crash.lost": int(crash["lost"]), "crash.duplicates": int(crash["duplicates"]),
        "crash.in_flight": int(crash["in_flight"]),
        "sender.peak_rss_mb": round(crash["rss"], 1),
        "sender.peak_rss_mb_1k_rows": round(small["rss"], 1),
    }


def sender_metrics() -> dict[str, float]:
    """Every sender benchmark figure, keyed as bench/results.json reports them."""
    return asyncio.run(_all())


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        asyncio.run(child(sys.argv[2], sys.argv[3]))
    else:
        print(json.dumps(sender_metrics(), indent=2))
