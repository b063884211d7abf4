"""Runtime behaviour: database outages, webhook mode, and a graceful SIGTERM."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import aiohttp
import asyncpg
import pytest
from pydantic import SecretStr, ValidationError

from bot.runtime.app import Application
from bot.runtime.settings import Settings
from simulator.emulator import BotApiEmulator
from tests.helpers.databases import POSTGRES_ADMIN_DSN, postgres_database
from tests.helpers.harness import TOKEN, Harness, lose_sqlite_database, running_bot, settings_for
from tests.helpers.process import answers_help, bot_process

SECRET = "webhook-secret-of-the-test-0123456789_-"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def _help_still_works(sokh: Harness) -> None:
    dara = sokh.emu.add_user(language_code="en")
    hotlines = await sokh.say(dara, "/help")
    assert "1280" in hotlines.text and "117" in hotlines.text
    choice = await sokh.say(dara, "/start")
    chosen = await sokh.tap(dara, choice, "English")
    assert "can't save that right now" in chosen.text


async def test_help_numbers_survive_a_lost_sqlite_file(tmp_path: Path) -> None:
    async with running_bot(f"sqlite+aiosqlite:///{tmp_path / 'sokh.db'}") as sokh:
        await lose_sqlite_database(sokh, tmp_path)
        await _help_still_works(sokh)


async def test_help_numbers_survive_postgres_going_away() -> None:
    async with postgres_database() as url, running_bot(url) as sokh:
        name = url.rsplit("/", 1)[1]
        admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()
        await _help_still_works(sokh)


@pytest.mark.parametrize("secret", [None, "", "short-secret", "x" * 31, "é" * 40, "a b" * 20])
def test_webhook_mode_refuses_a_missing_or_weak_secret(secret: str | None) -> None:
    with pytest.raises(ValidationError, match="WEBHOOK_SECRET"):
        Settings(webhook_url="https://example.org/hook",
                 webhook_secret=None if secret is None else SecretStr(secret))
    assert Settings(webhook_url="https://example.org/hook", webhook_secret=SecretStr(SECRET))


async def test_webhook_mode_accepts_only_the_secret(tmp_path: Path, unused_tcp_port: int) -> None:
    hook = f"http://127.0.0.1:{unused_tcp_port}/telegram/hook"
    async with BotApiEmulator(token=TOKEN) as emu:
        config = settings_for(
            emu, f"sqlite+aiosqlite:///{tmp_path / 'w.db'}", webhook_url=hook,
            webhook_secret=SecretStr(SECRET), webhook_listen=f"127.0.0.1:{unused_tcp_port}",
        )
        app = Application(config)
        await app.prepare()
        serving = asyncio.create_task(app.serve(handle_signals=False))
        registered = await emu.wait_for_request("setWebhook", timeout=10)
        assert registered.params["secret_token"] == SECRET
        async with aiohttp.ClientSession() as http:
            for header in ({}, {SECRET_HEADER: ""}, {SECRET_HEADER: SECRET[:-1]},
                           {SECRET_HEADER: SECRET + "x"}, {SECRET_HEADER: "ក" * 40}):
                forged = await http.post(hook, json={"update_id": 1}, headers=header)
                assert forged.status == 401, header
        sokh = Harness(emu, app)
        reply = await sokh.say(emu.add_user(language_code="en"), "/help")
        assert "1280" in reply.text
        await app.stop()
        await asyncio.wait_for(serving, 30)


async def test_sigterm_finishes_cleanly(tmp_path: Path) -> None:
    async with BotApiEmulator(token=TOKEN) as emu, bot_process(emu, tmp_path) as process:
        assert await answers_help(emu)
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()[-2000:]
    assert "Sokh stopped cleanly" in stderr.decode()
