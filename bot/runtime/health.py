"""Health, readiness and Prometheus metrics on their own port (HEALTH_LISTEN).

`/healthz` answers while the process's event loop runs; `/readyz` also checks the database
and Redis, each within a second, so a load balancer stops sending to a worker that cannot
work; `/metrics` is Prometheus's text format. Nothing here carries personal data: counts,
durations and dependency names only.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import TelegramObject, Update
from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

__all__ = ["HealthServer", "Metrics", "TelegramMetrics", "UpdateMetrics"]

log = logging.getLogger(__name__)
CHECK_TIMEOUT_S = 1.0
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
Sample = Callable[[], Awaitable[None]]
# Methods that put a message in a chat: counted by result as sends.
SENDING = ("Send", "Copy", "Forward")


class Metrics:
    """The process's metrics, in a registry of its own (tests run several bots at once)."""

    def __init__(self, dropped: Callable[[], float]) -> None:
        self.registry = CollectorRegistry()
        self.updates = Counter("sokh_updates", "Updates handled, by type", ["type"],
                               registry=self.registry)
        self.latency = Histogram("sokh_handler_seconds", "Time to handle one update",
                                 registry=self.registry,
                                 buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
        flood = Gauge("sokh_flood_dropped", "Updates dropped unparsed by the flood gate",
                      registry=self.registry)
        flood.set_function(dropped)
        self.sends = Counter("sokh_telegram_sends", "Messages sent to Telegram, by result",
                             ["result"], registry=self.registry)
        self.retry_after = Counter("sokh_telegram_429", "Telegram's 429 'retry after' answers "
                                   "(any method)", registry=self.registry)
        self.relay_delay = Histogram("sokh_relay_delay_seconds", "Counsellor relay: from queued "
                                     "(or due again) to sent", registry=self.registry,
                                     buckets=(0.5, 1, 2, 5, 10, 30, 60, 300, 900))
        self.outbox_depth = Gauge("sokh_outbox_depth", "Unsent outbox rows, by queue",
                                  ["queue"], registry=self.registry)
        self.outbox_oldest = Gauge("sokh_outbox_oldest_due_seconds", "How long the oldest "
                                   "due, unsent outbox row has waited", registry=self.registry)
        self.cases_waiting = Gauge("sokh_cases_waiting", "Cases waiting for a counsellor",
                                   registry=self.registry)
        self.sampled = Gauge("sokh_backlog_sampled", "1 if the outbox and case gauges were read "
                             "from the database at this scrape, 0 if it did not answer in 1 s",
                             registry=self.registry)

    def backlog(self, proactive: int, relay: int, oldest_due_s: float, waiting: int) -> None:
        """Set the database-backed gauges (read at each scrape)."""
        self.outbox_depth.labels("proactive").set(proactive)
        self.outbox_depth.labels("relay").set(relay)
        self.outbox_oldest.set(oldest_due_s)
        self.cases_waiting.set(waiting)


class UpdateMetrics(BaseMiddleware):
    """Update-level outer middleware: count each update by type and time its handling."""

    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        started = time.perf_counter()
        try:
            return await handler(event, data)
        finally:
            kind = event.event_type if isinstance(event, Update) else type(event).__name__
            self._metrics.updates.labels(kind).inc()
            self._metrics.latency.observe(time.perf_counter() - started)


class TelegramMetrics(BaseRequestMiddleware):
    """Bot session middleware: sends by result, and every 429 of any method."""

    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        result = "ok"
        try:
            return await make_request(bot, method)
        except TelegramRetryAfter:
            result = "retry_after"
            self._metrics.retry_after.inc()
            raise
        except TelegramForbiddenError:
            result = "forbidden"
            raise
        except TelegramBadRequest:
            result = "bad_request"
            raise
        except (TelegramAPIError, OSError):  # TimeoutError is an OSError
            result = "error"
            raise
        finally:
            if type(method).__name__.startswith(SENDING):
                self._metrics.sends.labels(result).inc()


class HealthServer:
    """The small HTTP server for probes and scrapes.

    `sample` reads the database-backed gauges (outbox, cases) before each scrape, within 1 s.
    """

    def __init__(self, engine: AsyncEngine, redis: Redis | None, metrics: Metrics,
                 sample: Sample | None = None) -> None:
        self._engine, self._redis, self._metrics = engine, redis, metrics
        self._sample = sample
        self._runner: web.AppRunner | None = None

    async def start(self, host: str, port: int) -> None:
        """Listen on host:port."""
        app = web.Application()
        app.router.add_get("/healthz", self._health)
        app.router.add_get("/readyz", self._ready)
        app.router.add_get("/metrics", self._scrape)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        log.info("health and metrics on %s:%d", host, port)

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()

    async def _health(self, _: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def _ready(self, _: web.Request) -> web.Response:
        checks = {"database": await _within(self._database())}
        if self._redis is not None:
            checks["redis"] = await _within(self._ping_redis(self._redis))
        ready = all(checks.values())
        body = {name: "ok" if ok else "down" for name, ok in checks.items()}
        return web.json_response(body, status=200 if ready else 503)

    async def _scrape(self, _: web.Request) -> web.Response:
        if self._sample is not None:  # a database that does not answer leaves the last values
            self._metrics.sampled.set(1 if await _within(self._sample()) else 0)
        body = generate_latest(self._metrics.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def _database(self) -> None:
        async with self._engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    @staticmethod
    async def _ping_redis(redis: Redis) -> None:
        await redis.ping()


async def _within(check: Awaitable[None]) -> bool:
    try:
        await asyncio.wait_for(check, CHECK_TIMEOUT_S)
    except Exception:  # any failure or hang means not ready; the probe must answer
        return False
    return True
