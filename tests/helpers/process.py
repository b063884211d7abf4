"""The bot as its own process (`python run_bot.py`), pointed at an emulator."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from simulator.emulator import BotApiEmulator
from tests.helpers.harness import TEST_SALT, TEST_SECRET, TOKEN

ROOT = Path(__file__).resolve().parent.parent.parent


# Importing aiogram builds hundreds of pydantic models: seconds on a busy two-core machine.
STARTUP_S = 90


@asynccontextmanager
async def bot_process(
    emu: BotApiEmulator, folder: Path, **extra_env: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    """run_bot.py against the emulator with a SQLite file in `folder`; stderr piped.

    Yields once the bot polls; kills it afterwards if the test left it running.
    """
    env = {**os.environ, "BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": emu.base_url,
           "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'process.db'}",
           "SOKH_SECRET_KEY": TEST_SECRET, "SOKH_KEY_SALT": TEST_SALT, **extra_env}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "run_bot.py", env=env, cwd=ROOT, stderr=asyncio.subprocess.PIPE)
    try:
        await emu.wait_for_request("getUpdates", timeout=STARTUP_S)
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.communicate()


async def answers_help(emu: BotApiEmulator) -> bool:
    """A new person sends /help; True when the hotlines come back."""
    person = emu.add_user(language_code="en")
    waiting = emu.wait_for_bot_message(emu.private_chat(person), 10)
    emu.send_text(person, "/help")
    return "1280" in ((await waiting).text or "")
