"""Campaign day (issue 17): a thousand new people at once, a flood beside a bystander, and
webhook throughput with 1, 2 and 4 worker processes on PostgreSQL and Redis.

The bot runs as its own process against the emulator, as in bench/updates.py; the echo bot
takes the same first-contact load in the same run, so the ratio compares like with like.
The emulator and the simulated people share this process, which stays far from busy (about
half a CPU second a burst, against a second for the bot): on this shared machine what
stretches the wall-clock figures is the other sessions' load, so each run also reports the
share of a core the bot got, and the ratio of CPU per first contact, which load barely moves.
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
from bench.updates import ECHO, SOKH, _bot_process
from simulator import BotApiEmulator, SimUser
from tests.helpers.databases import REDIS_TEST_URL, forget_redis_keys, postgres_database
from tests.helpers.fleet import EXPECTED, STEPS, converse, fleet, heard
from tests.helpers.harness import TOKEN

NEW_PEOPLE = 1000
FLOOD = 1000
ROUNDS = 3


async def first_contact(command: list[str], **settings: str) -> dict[str, float]:
    """NEW_PEOPLE people never seen before send /start at one instant."""
    with tempfile.TemporaryDirectory() as folder:
        async with BotApiEmulator(token=TOKEN) as emu:
            process = await _bot_process(command, emu, folder, **settings)
            people = [emu.add_user(f"N{n}", None, "km") for n in range(NEW_PEOPLE)]
            with quiet_collector():
                cpu, own = _cpu_s(process.pid), time.process_time()
                latencies, elapsed = await _all_at_once(emu, people)
                cpu, own = _cpu_s(process.pid) - cpu, time.process_time() - own
            process.send_signal(signal.SIGTERM)
            await process.wait()
    return {"per_s": NEW_PEOPLE / elapsed, "cpu_ms_each": cpu * 1000 / NEW_PEOPLE,
            "p50_ms": statistics.median(latencies),
            "p99_ms": statistics.quantiles(latencies, n=100)[98],
            "core_share": cpu / elapsed, "emulator_cpu_s": own}


async def first_contact_postgres(command: list[str]) -> dict[str, float]:
    """The same burst with the bot on a fresh PostgreSQL database."""
    async with postgres_database() as url:
        return await first_contact(command, DATABASE_URL=url)


def _cpu_s(pid: int) -> float:
    """CPU seconds a process has used (all threads): steadier than rates on a busy machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _all_at_once(emu: BotApiEmulator, people: list[SimUser]) -> tuple[list[float], float]:
    latencies: list[float] = []
    started = time.perf_counter()

    async def answered(user: SimUser) -> None:
        await emu.wait_for_bot_message(emu.private_chat(user), timeout=60)
        latencies.append((time.perf_counter() - started) * 1000)

    waiting = [asyncio.ensure_future(answered(user)) for user in people]
    await asyncio.sleep(0)
    started = time.perf_counter()
    for user in people:
        emu.send_text(user, "/start")
    await asyncio.gather(*waiting)
    return latencies, time.perf_counter() - started


async def flood_bystander() -> float:
    """Milliseconds a known person waits for /help while another sends FLOOD messages."""
    with tempfile.TemporaryDirectory() as folder:
        async with BotApiEmulator(token=TOKEN) as emu:
            process = await _bot_process(SOKH, emu, folder, FLOOD_LIMIT="6")
            flooder, bystander = emu.add_user("F", None, "en"), emu.add_user("B", None, "en")
            for user in (flooder, bystander):
                waiting = emu.wait_for_bot_message(emu.private_chat(user), timeout=30)
                emu.send_text(user, "/start")
                await waiting
            with quiet_collector():
                for n in range(FLOOD):
                    emu.send_text(flooder, f"spam {n}")
                waiting = emu.wait_for_bot_message(emu.private_chat(bystander), timeout=30)
                started = time.perf_counter()
                emu.send_text(bystander, "/help")
                await waiting
                waited = (time.perf_counter() - started) * 1000
            process.send_signal(signal.SIGTERM)
            await process.wait()
    return waited


async def scale_metrics(rounds: int = ROUNDS) -> dict[str, object]:
    """First contact against the echo bot (medians of alternating runs), and the flood."""
    figures: dict[str, object] = {}
    for suffix, sokh_run in (("", first_contact), ("_pg", first_contact_postgres)):
        echo_runs, sokh_runs = [], []
        for _ in range(rounds):
            echo_runs.append(await first_contact(ECHO))
            sokh_runs.append(await sokh_run(SOKH))
        figures.update(_first_contact_figures(echo_runs, sokh_runs, suffix))
    floods = [await flood_bystander() for _ in range(rounds)]
    return {**figures, "scale.flood_bystander_ms": round(statistics.median(floods), 1),
            "scale.flood_bystander_runs_ms": [round(f, 1) for f in floods],
            **await web_metrics()}


def _first_contact_figures(echo_runs: list[dict[str, float]], sokh_runs: list[dict[str, float]],
                           suffix: str) -> dict[str, object]:
    """Sokh against the echo bot run just before it; `suffix` names the database."""
    echo, sokh = _median(echo_runs), _median(sokh_runs)
    pairs = list(zip(sokh_runs, echo_runs, strict=True))
    cpu_ratio = statistics.median(e["cpu_ms_each"] / s["cpu_ms_each"] for s, e in pairs)
    figures: dict[str, object] = {
        "per_s": round(sokh["per_s"], 1), "echo_per_s": round(echo["per_s"], 1),
        "ratio": round(sokh["per_s"] / echo["per_s"], 3),
        "ratio_runs": [round(s["per_s"] / e["per_s"], 3) for s, e in pairs],
        # Echo's CPU per first contact over Sokh's: what the rate ratio is on a free core.
        "cpu_ratio": round(cpu_ratio, 3),
        "p50_ms": round(sokh["p50_ms"], 1), "p99_ms": round(sokh["p99_ms"], 1),
        "echo_p99_ms": round(echo["p99_ms"], 1),
        "p99_runs_ms": [round(s["p99_ms"]) for s in sokh_runs],
        "echo_p99_runs_ms": [round(e["p99_ms"]) for e in echo_runs],
        "cpu_ms_each": round(sokh["cpu_ms_each"], 2),
        "echo_cpu_ms_each": round(echo["cpu_ms_each"], 2),
        # Bot CPU over wall time in the burst: 1.0 would be a core of its own.
        "core_share": round(sokh["core_share"], 2), "echo_core_share": round(echo["core_share"], 2),
        "emulator_cpu_s": round(sokh["emulator_cpu_s"], 2),
    }
    return {f"scale.first_contact_{key}{suffix}": value for key, value in figures.items()}


WEB_PEOPLE = 1000
WEB_ROUNDS = 3
WEB_WORKERS = (1, 2, 4)


async def web_throughput(workers: int, people: int = WEB_PEOPLE) -> dict[str, float]:
    """`people` people send STEPS at once to `workers` webhook workers behind the balancer, on
    PostgreSQL and Redis; updates handled a second, and how many people heard anything
    other than every reply once, in order."""
    await forget_redis_keys(f"sokh:update:{TOKEN.split(':')[0]}:*", "sokh:turn*")
    async with postgres_database() as url, BotApiEmulator(token=TOKEN) as emu, \
            fleet(emu, url, REDIS_TEST_URL, web=workers) as crew:
        users = [emu.add_user(f"W{n}", None, "en") for n in range(people)]
        pids = [p.pid for p in crew.processes.values()]
        with quiet_collector():
            cpu, driver = sum(_cpu_s(pid) for pid in pids), time.process_time()
            elapsed = await converse(emu, users, timeout=300)
            cpu = sum(_cpu_s(pid) for pid in pids) - cpu
            driver = time.process_time() - driver
        wrong = sum(1 for user in users if heard(emu, user) != EXPECTED)
    updates = people * len(STEPS)
    # The driver (emulator, balancer, people) shares the 2 cores: its CPU says how much of
    # the machine the workers could have had.
    return {"per_s": updates / elapsed, "cpu_ms_each": cpu * 1000 / updates, "wrong": wrong,
            "driver_cpu_ms_each": driver * 1000 / updates}


async def web_metrics(rounds: int = WEB_ROUNDS) -> dict[str, object]:
    """scale.web_per_s_1, _2, _4: webhook throughput with 1, 2 and 4 workers (medians of
    `rounds` runs, the worker counts alternating so the machine's load touches each alike)."""
    runs: dict[int, list[dict[str, float]]] = {workers: [] for workers in WEB_WORKERS}
    results: dict[str, object] = {"scale.web_load_average_before": round(os.getloadavg()[0], 1)}
    for _ in range(rounds):
        for workers in WEB_WORKERS:
            runs[workers].append(await web_throughput(workers))
    for workers, done in runs.items():
        run = _median(done)
        results[f"scale.web_per_s_{workers}"] = round(run["per_s"], 1)
        results[f"scale.web_per_s_{workers}_runs"] = [round(r["per_s"], 1) for r in done]
        results[f"scale.web_cpu_ms_each_{workers}"] = round(run["cpu_ms_each"], 2)
        results[f"scale.web_driver_cpu_ms_each_{workers}"] = round(run["driver_cpu_ms_each"], 2)
        # People who heard anything but every reply once, in order: lost, repeated, reordered.
        results[f"scale.web_wrong_{workers}"] = int(sum(r["wrong"] for r in done))
    one = _median(runs[1])["per_s"]  # the same run's one worker is the baseline
    for workers in WEB_WORKERS[1:]:
        results[f"scale.web_ratio_{workers}_to_1"] = round(_median(runs[workers])["per_s"] / one,
                                                           2)
    results["scale.web_load_average_after"] = round(os.getloadavg()[0], 1)
    return results


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return sorted(runs, key=lambda run: run["per_s"])[len(runs) // 2]


if __name__ == "__main__":
    import json
    if sys.argv[1:] == ["web"]:  # only the webhook workers' figures
        print(json.dumps(asyncio.run(web_metrics()), indent=2))
    else:
        rounds = int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS
        print(json.dumps(asyncio.run(scale_metrics(rounds)), indent=2))
