"""A webhook worker of the bot in this process, and an update posted to it as Telegram would."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from pydantic import SecretStr

from bot.runtime.app import Application
from simulator.emulator import BotApiEmulator
from tests.helpers.harness import settings_for

SECRET = "webhook-secret-of-the-test-0123456789_-"


@asynccontextmanager
async def webhook_worker(emu: BotApiEmulator, url: str, port: int, **overrides: Any
                         ) -> AsyncIterator[str]:
    """A bot serving its webhook on `port` with the database at `url`; yields the hook's URL."""
    hook = f"http://127.0.0.1:{port}/hook"
    app = Application(settings_for(emu, url, webhook_url=hook, webhook_secret=SecretStr(SECRET),
                                   webhook_listen=f"127.0.0.1:{port}", **overrides))
    await app.prepare()
    serving = asyncio.create_task(app.serve(handle_signals=False))
    await asyncio.wait_for(app.serving.wait(), 10)
    try:
        yield hook
    finally:
        await app.stop()
        await asyncio.wait_for(serving, 30)


async def post_update(http: aiohttp.ClientSession, hook: str, update: dict[str, Any]) -> int:
    """POST `update` to the hook with the secret header; the HTTP status."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with http.post(hook, json=update, headers=headers) as response:
        return response.status
