"""Updates through the emulator: Sokh versus a bare aiogram echo bot, same load, same machine.

Each bot runs as its own process, exactly as deployed; the emulator and the simulated
people share this one. Both bots face the same script from the same people.
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.collector import quiet_collector
from simulator import BotApiEmulator, SimUser
from tests.helpers.harness import TEST_SALT, TEST_SECRET, TOKEN

ROOT = Path(__file__).resolve().parent.parent
PEOPLE, MESSAGES_EACH = 50, 40
# Each person waits for the answer before writing again, like a person would.
SCRIPT = ("/help", "hello", "/menu", "/start")
SOKH = [sys.executable, "run_bot.py"]
ECHO = [sys.executable, "-m", "bench.echo_bot"]


async def _bot_process(
    command: list[str], emu: BotApiEmulator, folder: str, **settings: str
) -> asyncio.subprocess.Process:
    env = {**os.environ, "BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": emu.base_url,
           "DATABASE_URL": f"sqlite+aiosqlite:///{folder}/bench.db",
           "SOKH_SECRET_KEY": TEST_SECRET, "SOKH_KEY_SALT": TEST_SALT, "LOG_LEVEL": "WARNING",
           # The script is a machine typing; lift the flood limit so nothing is dropped.
           "FLOOD_LIMIT": str(10**9), **settings}
    process = await asyncio.create_subprocess_exec(*command, cwd=ROOT, env=env)
    while not emu.calls("deleteWebhook"):
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)
    return process


async def _person(emu: BotApiEmulator, user: SimUser, latencies: list[float],
                  later: list[float]) -> None:
    chat = emu.private_chat(user)
    for n in range(MESSAGES_EACH):
        waiting = asyncio.ensure_future(emu.wait_for_bot_message(chat, timeout=30))
        started = time.perf_counter()
        emu.send_text(user, SCRIPT[n % len(SCRIPT)])
        await waiting
        latencies.append((time.perf_counter() - started) * 1000)
        if n:
            later.append(latencies[-1])


async def measure(command: list[str]) -> dict[str, float]:
    """PEOPLE people each send MESSAGES_EACH messages; return the rate and latencies."""
    with tempfile.TemporaryDirectory() as folder:
        async with BotApiEmulator(token=TOKEN) as emu:
            process = await _bot_process(command, emu, folder)
            people = [emu.add_user(f"P{n}", None, "en") for n in range(PEOPLE)]
            latencies: list[float] = []
            later: list[float] = []  # all but each person's first message
            with quiet_collector():
                started = time.perf_counter()
                await asyncio.gather(*(_person(emu, user, latencies, later) for user in people))
                elapsed = time.perf_counter() - started
            process.send_signal(signal.SIGTERM)
            await process.wait()
            errors = len(emu.errors)
    cuts = statistics.quantiles(latencies, n=100)
    return {"per_s": len(latencies) / elapsed, "p50_ms": cuts[49], "p99_ms": cuts[98],
            "p99_later_ms": statistics.quantiles(later, n=100)[98], "errors": errors}


async def updates_metrics(rounds: int = 5) -> dict[str, object]:
    """Sokh's updates/s and latency, and its ratio to the echo bot's rate.

    The two bots take turns `rounds` times and the medians are compared, because single
    runs on a shared 2-core machine swing by up to a fifth either way. Every person's first
    message finds a cold bot (new connections, new profile rows, all fifty at one instant),
    so p99 is also given without those first messages.
    """
    echo_runs, sokh_runs = [], []
    for _ in range(rounds):
        echo_runs.append(await measure(ECHO))
        sokh_runs.append(await measure(SOKH))
    echo, sokh = _median_run(echo_runs), _median_run(sokh_runs)
    return {
        "updates.per_s": round(sokh["per_s"], 1), "updates.p50_ms": round(sokh["p50_ms"], 1),
        "updates.p99_ms": round(sokh["p99_ms"], 1),
        "updates.p99_after_first_ms": round(sokh["p99_later_ms"], 1),
        "updates.echo_p99_ms": round(echo["p99_ms"], 1),
        "updates.errors": sum(run["errors"] for run in sokh_runs),
        "updates.echo_per_s": round(echo["per_s"], 1),
        "updates.ratio_to_echo": round(sokh["per_s"] / echo["per_s"], 3),
        "updates.ratio_runs": [round(s["per_s"] / e["per_s"], 3)
                               for s, e in zip(sokh_runs, echo_runs, strict=True)],
        "updates.total": PEOPLE * MESSAGES_EACH * rounds,
    }


def _median_run(runs: list[dict[str, float]]) -> dict[str, float]:
    return sorted(runs, key=lambda run: run["per_s"])[len(runs) // 2]
