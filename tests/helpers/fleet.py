"""A campaign-day deployment on one machine: `run_bot.py --role ...` processes on PostgreSQL
and Redis behind a load balancer, against the emulator (docs/deploy.md).

The balancer does what a proxy in front of webhook workers does: each delivery goes to the
next worker in turn; a worker that refuses the connection is skipped (nothing was sent to
it); one that fails after taking the request is answered 502, so Telegram (the emulator)
delivers that update again later.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import socket
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from aiohttp import web

from simulator.emulator import BotApiEmulator
from simulator.state import SimUser
from tests.helpers.harness import TEST_SALT, TEST_SECRET, TOKEN
from tests.helpers.process import ROOT, STARTUP_S

SECRET = "webhook-secret-of-the-fleet-0123456789_-"
FORWARDED = ("Content-Type", "X-Telegram-Bot-Api-Secret-Token")


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Balancer:
    """Round-robin HTTP proxy in front of the webhook workers."""

    def __init__(self, backends: list[str]) -> None:
        self.backends = backends
        self._turn = itertools.cycle(range(len(backends)))
        self._session: aiohttp.ClientSession | None = None
        self._runner: web.AppRunner | None = None
        self.port = free_port()
        self.failed = 0  # deliveries answered 502: the worker died with them

    @property
    def url(self) -> str:
        """The webhook URL Telegram is given."""
        return f"http://127.0.0.1:{self.port}/hook"

    async def start(self) -> None:
        """Listen on `port`."""
        app = web.Application()
        app.router.add_post("/hook", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        limits = aiohttp.TCPConnector(limit=0)
        self._session = aiohttp.ClientSession(connector=limits,
                                              timeout=aiohttp.ClientTimeout(total=60))

    async def stop(self) -> None:
        """Stop listening and close connections."""
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._session is not None
        body = await request.read()
        headers = {k: request.headers[k] for k in FORWARDED if k in request.headers}
        for _ in self.backends:
            backend = self.backends[next(self._turn)]
            try:
                async with self._session.post(backend, data=body, headers=headers) as answer:
                    passed = {k: answer.headers[k] for k in ("Content-Type", "Retry-After")
                              if k in answer.headers}
                    return web.Response(body=await answer.read(), status=answer.status,
                                        headers=passed)
            except aiohttp.ClientConnectorError:
                continue  # not listening (dead): nothing was delivered, try the next
            except (aiohttp.ClientError, TimeoutError):
                break  # it took the update and died: Telegram must deliver it again
        self.failed += 1
        return web.Response(status=502, text="Bad Gateway")


@dataclass
class Fleet:
    """The processes of one deployment, by role."""

    emu: BotApiEmulator
    database_url: str
    redis_url: str
    balancer: Balancer
    processes: dict[str, asyncio.subprocess.Process] = field(default_factory=dict)
    health: dict[str, int] = field(default_factory=dict)

    def env(self, name: str, role: str, **extra: str) -> dict[str, str]:
        """The environment of one process."""
        self.health[name] = free_port()
        return {**os.environ, "BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": self.emu.base_url,
                "DATABASE_URL": self.database_url, "REDIS_URL": self.redis_url,
                "SOKH_SECRET_KEY": TEST_SECRET, "SOKH_KEY_SALT": TEST_SALT, "ROLE": role,
                "HEALTH_LISTEN": f"127.0.0.1:{self.health[name]}", "FLOOD_LIMIT": "100",
                **extra}

    async def start(self, name: str, role: str, **extra: str) -> None:
        """Start `run_bot.py --role role` (its log goes to the test's output only on failure)."""
        log = self._log(name)
        try:
            self.processes[name] = await asyncio.create_subprocess_exec(
                sys.executable, "run_bot.py", "--role", role, env=self.env(name, role, **extra),
                cwd=ROOT, stdout=asyncio.subprocess.DEVNULL, stderr=log)
        finally:
            os.close(log)

    async def web(self, name: str) -> str:
        """Start a webhook worker; return its own URL (the balancer's backend)."""
        port = free_port()
        await self.start(name, "web", WEBHOOK_URL=self.balancer.url, WEBHOOK_SECRET=SECRET,
                         WEBHOOK_LISTEN=f"127.0.0.1:{port}")
        return f"http://127.0.0.1:{port}/hook"

    async def ready(self, timeout: float = 2 * STARTUP_S) -> None:
        """Wait until every process answers /readyz (its database and Redis reachable)."""
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession() as http:
            for name, port in self.health.items():
                while True:
                    if self.processes[name].returncode is not None:
                        raise RuntimeError(f"{name} exited with {self.processes[name].returncode}")
                    with suppress(aiohttp.ClientError):
                        async with http.get(f"http://127.0.0.1:{port}/readyz") as answer:
                            if answer.status == 200:
                                break
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"{name} not ready within {timeout}s")
                    await asyncio.sleep(0.2)

    def _log(self, name: str) -> int:
        """Each process's log, in LOG_DIR (the test's temporary folder), for a failure."""
        folder = Path(os.environ.get("SOKH_FLEET_LOGS", tempfile.gettempdir()))
        return os.open(folder / f"sokh-fleet-{os.getpid()}-{name}.log",
                       os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)

    def kill(self, name: str) -> None:
        """kill -9: no shutdown hooks, no answers to what it holds."""
        self.processes[name].kill()

    async def stop(self) -> None:
        """SIGTERM to all, then kill what is left after 20 s."""
        for process in self.processes.values():
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                await asyncio.wait_for(process.wait(), 20)
            except TimeoutError:
                process.kill()
                await process.wait()


async def upgrade_database(database_url: str) -> None:
    """Migrate once before the workers start (they would all race to do it)."""
    env = {**os.environ, "DATABASE_URL": database_url, "SOKH_SECRET_KEY": TEST_SECRET,
           "SOKH_KEY_SALT": TEST_SALT}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "run_bot.py", "db", "upgrade", env=env, cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    if await process.wait() != 0:
        raise RuntimeError("db upgrade failed")


@asynccontextmanager
async def fleet(emu: BotApiEmulator, database_url: str, redis_url: str, web: int,
                schedulers: int = 0, senders: int = 0) -> AsyncIterator[Fleet]:
    """`web` webhook workers behind a balancer, plus schedulers and senders; all ready."""
    await upgrade_database(database_url)
    balancer = Balancer([])
    await balancer.start()
    crew = Fleet(emu, database_url, redis_url, balancer)
    try:
        for n in range(web):
            balancer.backends.append(await crew.web(f"web{n}"))
        balancer._turn = itertools.cycle(range(web))
        for n in range(schedulers):
            await crew.start(f"scheduler{n}", "scheduler")
        for n in range(senders):
            await crew.start(f"sender{n}", "sender")
        await crew.ready()
        yield crew
    finally:
        await crew.stop()
        await balancer.stop()


STEPS = ("/help", "/menu", "/help")


def heard(emu: BotApiEmulator, user: SimUser) -> str:
    """What a person got back, one letter a message: H the hotlines, M the menu, ? else."""
    letters = []
    for message in emu.chat_messages(emu.private_chat(user)):
        if message.from_bot:
            text = message.text or ""
            letters.append("H" if "1280" in text else "M" if "What would you" in text else "?")
    return "".join(letters)


EXPECTED = "HMH"


async def converse(emu: BotApiEmulator, people: list[SimUser], timeout: float) -> float:
    """Each person sends STEPS, all people at once (Telegram queues them, each person's in
    order); return the seconds until every reply came, or raise TimeoutError."""
    started = time.perf_counter()
    for step in STEPS:
        for person in people:
            emu.send_text(person, step)
    deadline = time.monotonic() + timeout
    while sum(len(heard(emu, p)) for p in people) < len(people) * len(STEPS):
        if time.monotonic() > deadline:
            raise TimeoutError("not every reply came")
        await asyncio.sleep(0.05)
    return time.perf_counter() - started
