"""`make run` without BOT_TOKEN: the local Bot API emulator and web chat, with the real bot."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from pydantic import SecretStr

from bot.runtime import app
from bot.runtime.settings import Settings
from bot.storage import migrate
from bot.storage.database import create_engine
from bot.storage.keys import make_vault, rotate
from simulator.demo import DEMO_COUNSELLOR_CHAT_ID
from simulator.emulator import run_simulator_server

log = logging.getLogger(__name__)
SIMULATOR_TOKEN = "123456:SIMULATOR"
SIMULATOR_HOST, SIMULATOR_PORT = "127.0.0.1", 8080
DATABASE_FILE = "simulator.db"


def simulator_secret(folder: Path, name: str = "simulator-secret.key") -> str:
    """A secret (or salt) made once under data/, so pseudonyms survive simulator restarts."""
    path = folder / name
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def fresh_database(folder: Path) -> bool:
    """Erase the simulator's database; return whether there was one.

    The emulator keeps its chats in memory, so they are gone after a restart. A database
    kept across it would give the next guest (who gets the same simulated Telegram id) an
    earlier person's language, course and countdown: chats and database start empty together.
    """
    found = False
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = folder / f"{DATABASE_FILE}{suffix}"
        found = found or path.exists()
        path.unlink(missing_ok=True)
    return found


def simulator_settings(config: Settings, folder: Path, api_url: str) -> Settings:
    """The bot's settings for the simulator: always its own database, key and no Redis.

    A .env written for production must never let the simulator's outbox sender and
    auto-clean consume real people's rows against the emulator.
    """
    return config.model_copy(update={
        "bot_token": SecretStr(SIMULATOR_TOKEN),
        "sokh_secret_key": SecretStr(simulator_secret(folder)),
        "sokh_key_salt": simulator_secret(folder, "simulator-salt.key"),
        "database_url": f"sqlite+aiosqlite:///{folder / DATABASE_FILE}", "redis_url": None,
        "telegram_api_url": api_url, "webhook_url": None,
        # The demo's Counsellors forum, so a person can reach a counsellor in the simulator.
        "counsellor_chat_id": DEMO_COUNSELLOR_CHAT_ID,
    })


def production_present(config: Settings) -> list[str]:
    """The production settings this configuration holds (the simulator never uses them)."""
    default_db = Settings.model_fields["database_url"].default
    present = {"SOKH_SECRET_KEY": config.sokh_secret_key is not None,
               "DATABASE_URL": config.database_url != default_db,
               "REDIS_URL": config.redis_url is not None}
    return [name for name, found in present.items() if found]


def refuse_production(config: Settings) -> None:
    """Stop before starting when production settings are present, unless told to go on.

    The simulator keeps its own database and key, but a .env with production values means
    someone may think they are testing against real data: say so rather than guess.
    """
    present = production_present(config)
    if present and not config.simulator_despite_production:
        raise SystemExit(
            f"Not starting the simulator: {', '.join(present)} are set (production settings). "
            "It would not use them (it keeps its own database and key under data/). Set "
            "BOT_TOKEN to run the bot, or SIMULATOR_DESPITE_PRODUCTION=true to start the "
            "simulator anyway.")


async def run(config: Settings) -> None:
    """Serve the emulator on 127.0.0.1:8080 and run the unchanged bot against it."""
    refuse_production(config)
    emulator = await run_simulator_server(SIMULATOR_HOST, SIMULATOR_PORT, SIMULATOR_TOKEN)
    bot_config = simulator_settings(config, Path("data"), emulator.base_url)
    if fresh_database(Path("data")):
        log.warning("Simulator: a fresh start. Its chats live only in memory, so the database "
                    "data/%s was reset with them: no one, and no setting, carries over",
                    DATABASE_FILE)
    log.info("Simulator: open http://%s:%d in a browser", SIMULATOR_HOST, SIMULATOR_PORT)
    try:
        await _rotate_keys(bot_config)
        await app.run(bot_config)
    finally:
        await emulator.stop()


async def _rotate_keys(config: Settings) -> None:
    """The simulator's own data from before key ids: brought to the current key at start."""
    engine = create_engine(config.database_url)
    try:
        await migrate.upgrade(engine)
        await rotate(engine, make_vault(config))
    finally:
        await engine.dispose()
