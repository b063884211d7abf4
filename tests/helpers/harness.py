"""End-to-end harness: the real bot, over real HTTP, against the Bot API emulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiogram import Bot
from pydantic import SecretStr

from bot.runtime.app import Application
from bot.runtime.clock import Clock, utc_now
from bot.runtime.settings import Settings
from bot.wiring import Services
from simulator.demo import setup_demo
from simulator.emulator import BotApiEmulator
from simulator.state import SimChat, SimMessage, SimUser

TOKEN = "123456:TEST-TOKEN"
TEST_SECRET = "test-secret-key-for-sokh-0123456789"
TEST_SALT = "test-salt-for-sokh-keys"


@dataclass
class Harness:
    """A running bot and the emulator it talks to, with person-level actions."""

    emu: BotApiEmulator
    app: Application

    @property
    def services(self) -> Services:
        """The running bot's services."""
        return self.app.services

    @property
    def bot(self) -> Bot:
        """The running bot's Bot object."""
        return self.app.bot

    def chat(self, user: SimUser) -> SimChat:
        """The private chat between a person and the bot."""
        return self.emu.private_chat(user)

    async def act(self, chat: SimChat, action: Callable[[], object],
                  predicate: Callable[[SimMessage], bool] | None = None,
                  timeout: float = 5.0) -> SimMessage:
        """Do something and return the bot's next new or edited message in the chat."""
        waiting = self.emu.wait_for_bot_message(chat, timeout, predicate)
        action()
        return await waiting

    async def settle(self) -> None:
        """Wait until the bot has handled every update and made every request."""
        await self.emu.wait_idle()

    async def say(self, user: SimUser, text: str, timeout: float = 5.0) -> SimMessage:
        """Send text in the private chat and return the bot's next message or edit."""
        waiting = self.emu.wait_for_bot_message(self.chat(user), timeout)
        self.emu.send_text(user, text)
        return await waiting

    async def tap(self, user: SimUser, message: SimMessage, label: str) -> SimMessage:
        """Tap an inline button and return the bot's next message or edit."""
        waiting = self.emu.wait_for_bot_message(message.chat, 5.0)
        self.emu.click(user, message, label)
        return await waiting


def settings_for(emu: BotApiEmulator, database_url: str, **overrides: Any) -> Settings:
    """Settings pointing the bot at the emulator and a test database."""
    values: dict[str, Any] = {
        "bot_token": SecretStr(TOKEN), "telegram_api_url": emu.base_url,
        "database_url": database_url, "sokh_secret_key": SecretStr(TEST_SECRET),
        "sokh_key_salt": TEST_SALT,
        "redis_url": None, "webhook_url": None, "counsellor_chat_id": None,
        # Scripted people tap faster than anyone could; flood tests set the real limit.
        "flood_limit": 1000,
    }
    return Settings(**{**values, **overrides})


@asynccontextmanager
async def running_bot(
    database_url: str, clock: Clock = utc_now, **overrides: Any
) -> AsyncIterator[Harness]:
    """Start the emulator and the whole bot (long polling); stop both afterwards."""
    async with BotApiEmulator(token=TOKEN) as emu, serving(emu, database_url, clock,
                                                          **overrides) as harness:
        yield harness


@asynccontextmanager
async def serving(emu: BotApiEmulator, database_url: str, clock: Clock = utc_now,
                  **overrides: Any) -> AsyncIterator[Harness]:
    """One run of the bot against an emulator that may outlive it, as across a restart."""
    app = Application(settings_for(emu, database_url, **overrides), clock)
    await app.prepare()
    task = asyncio.create_task(app.serve(handle_signals=False))
    await asyncio.wait_for(app.serving.wait(), 10)
    try:
        yield Harness(emu, app)
    finally:
        await app.stop()
        with suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 30)


async def lose_sqlite_database(harness: Harness, folder: Path, name: str = "sokh.db") -> None:
    """Make the bot's SQLite file unreachable: a folder where the file was fails every connect."""
    await harness.app.services.engine.dispose()
    # A scheduler job may reconnect, and so recreate the file, between unlink and mkdir.
    for _ in range(100):
        for path in folder.glob(f"{name}*"):
            if path.is_file():
                path.unlink()
        try:
            (folder / name).mkdir()
            return
        except FileExistsError:
            await asyncio.sleep(0.01)
    raise RuntimeError("the SQLite file kept coming back")


@asynccontextmanager
async def running_simulator(database_url: str, **overrides: Any) -> AsyncIterator[BotApiEmulator]:
    """The emulator with its demo people and chats, and the whole bot polling it."""
    emu = BotApiEmulator(token=TOKEN)
    emu.scenario = setup_demo(emu)
    async with emu:
        app = Application(settings_for(emu, database_url, **overrides))
        await app.prepare()
        serving = asyncio.create_task(app.serve(handle_signals=False))
        try:
            yield emu
        finally:
            await app.stop()
            with suppress(asyncio.CancelledError):
                await asyncio.wait_for(serving, 30)
