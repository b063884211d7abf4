"""Helpers to talk to the Bot API emulator: a real aiogram Bot, raw HTTP, a polling bot."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from simulator import BotApiEmulator


def bot_for(emu: BotApiEmulator, parse_mode: str | None = None) -> Bot:
    """Build an aiogram Bot whose requests go to the emulator."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(emu.base_url))
    return Bot(emu.token, session=session, default=DefaultBotProperties(parse_mode=parse_mode))


async def raw_call(emu: BotApiEmulator, method: str, token: str | None = None,
                   **payload: Any) -> tuple[int, dict[str, Any]]:
    """POST JSON to /bot{token}/{method}; return the HTTP status and the body."""
    url = f"{emu.base_url}/bot{token or emu.token}/{method}"
    async with aiohttp.ClientSession() as http, http.post(url, json=payload) as resp:
        return resp.status, await resp.json()


@contextlib.asynccontextmanager
async def polling(emu: BotApiEmulator, dp: Dispatcher,
                  parse_mode: str | None = "HTML") -> AsyncIterator[Bot]:
    """Run dp with long polling against the emulator for the duration of the block."""
    bot = bot_for(emu, parse_mode)
    task = asyncio.create_task(
        dp.start_polling(bot, handle_signals=False, close_bot_session=False, polling_timeout=1)
    )
    try:
        yield bot
    finally:
        with contextlib.suppress(RuntimeError):
            await dp.stop_polling()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 5)
        await bot.session.close()
