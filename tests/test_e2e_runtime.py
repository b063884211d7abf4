"""Runtime behaviour: database outages, webhook mode, and a graceful SIGTERM."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import aiohttp
import asyncpg
from pydantic import SecretStr

from bot.runtime.app import Application
from simulator.emulator import BotApiEmulator
from tests.helpers.databases import POSTGRES_ADMIN_DSN, postgres_database
from tests.helpers.harness import TOKEN, Harness, lose_sqlite_database, running_bot, settings_for
from tests.helpers.process import answers_help, bot_process


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


async def test_webhook_mode_accepts_only_the_secret(tmp_path: Path, unused_tcp_port: int) -> None:
    hook = f"http://127.0.0.1:{unused_tcp_port}/telegram/hook"
    async with BotApiEmulator(token=TOKEN) as emu:
        config = settings_for(
            emu, f"sqlite+aiosqlite:///{tmp_path / 'w.db'}", webhook_url=hook,
            webhook_secret=SecretStr("s3cret-token"), webhook_listen=f"127.0.0.1:{unused_tcp_port}",
        )
        app = Application(config)
        await app.prepare()
        serving = asyncio.create_task(app.serve(handle_signals=False))
        registered = await emu.wait_for_request("setWebhook", timeout=10)
        assert registered.params["secret_token"] == "s3cret-token"
        async with aiohttp.ClientSession() as http:
            forged = await http.post(hook, json={"update_id": 1})
            assert forged.status == 401
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
