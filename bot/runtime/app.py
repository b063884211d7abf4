"""Run everything in one process: update intake, dialogs and the scheduler."""

from __future__ import annotations

import asyncio
import gc
import logging
from functools import partial

from bot.runtime.clock import Clock, utc_now
from bot.runtime.commands import register_commands
from bot.runtime.health import HealthServer, TelegramMetrics
from bot.runtime.reload import reload_on_sighup
from bot.runtime.settings import Settings
from bot.runtime.transport import create_bot, run_polling, run_webhook, stop_on_signals
from bot.wiring import assemble, build_services, intake, replies, sample_backlog, urgent_updates

log = logging.getLogger(__name__)


class Application:
    """The whole bot; `make run` and the end-to-end tests start it the same way."""

    def __init__(self, config: Settings, clock: Clock = utc_now) -> None:
        self.config, self.clock = config, clock
        self.bot = create_bot(config)
        self._stopping = asyncio.Event()
        self.serving = asyncio.Event()

    async def prepare(self) -> None:
        """Load content, migrate the database and register commands; fails fast."""
        self.services = await build_services(self.config, self.clock)
        self.dispatcher, self.proactive = assemble(self.services)
        self.dispatcher.startup.register(self._started)
        self.bot.session.middleware(TelegramMetrics(self.services.metrics))
        await register_commands(self.bot, self.services.locales)
        me = await self.bot.get_me()
        version = self.services.content.current.version
        log.info("Sokh is ready as @%s with content %s", me.username, version)

    async def serve(self, *, handle_signals: bool = True) -> None:
        """Take updates (webhook or long polling) until stopped or signalled."""
        if handle_signals:
            reload_on_sighup(self.services.content)
        services = self.services
        health = HealthServer(services.engine, services.redis, services.metrics,
                              partial(sample_backlog, services))
        if (listen := self.config.health_host_port) is not None:
            await health.start(*listen)
        try:
            await self._serve(handle_signals)
        finally:
            await health.stop()

    async def _serve(self, handle_signals: bool) -> None:
        if not self.config.runs("web"):
            await self._serve_without_updates(handle_signals)
        else:
            if handle_signals:
                stop_on_signals(self._stopping)
            claims = intake(self.services, self.bot.id)
            if self.config.webhook_url:
                await run_webhook(self.dispatcher, self.bot, self.config, self._stopping,
                                  self.services.flood_gate, claims,
                                  replies(self.services, self.bot.id))
            else:
                await run_polling(self.dispatcher, self.bot, self._stopping,
                                  gate=self.services.flood_gate, intake=claims,
                                  urgent=urgent_updates(self.services))

    async def _serve_without_updates(self, handle_signals: bool) -> None:
        """A scheduler or sender process: the start-up hooks, then wait to be stopped."""
        if handle_signals:
            stop_on_signals(self._stopping)
        try:
            await self.dispatcher.emit_startup(bot=self.bot, dispatcher=self.dispatcher)
            await self._stopping.wait()
        finally:
            await self.dispatcher.emit_shutdown(bot=self.bot, dispatcher=self.dispatcher)
            await self.bot.session.close()

    async def _started(self) -> None:
        self.serving.set()

    async def stop(self) -> None:
        """Stop taking updates; the shutdown hooks then drain updates and close storage."""
        self._stopping.set()


def _freeze_startup_heap() -> None:
    # Only the process's entry point may freeze: the heap is the process's, not the app's.
    # Content, locales and libraries are a few hundred thousand objects that live as long as
    # the process; left in the collector's oldest generation, every full collection walked
    # them all (a 0.2 s pause, several a minute under load). Frozen, collections skip them.
    gc.collect()
    gc.freeze()


async def run(config: Settings) -> None:
    """Start the bot against TELEGRAM_API_URL and serve until SIGTERM."""
    application = Application(config)
    try:
        await application.prepare()
    except BaseException:
        await application.bot.session.close()
        raise
    _freeze_startup_heap()
    await application.serve()
