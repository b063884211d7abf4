"""Command line: `python run_bot.py [run|simulator|db upgrade|keys rotate|content|report]`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from aiogram.exceptions import TelegramNetworkError
from pydantic import ValidationError

from bot.content.model import ContentError
from bot.content.tool.cli import add_content_commands
from bot.proactive.broadcast import add_broadcast_command
from bot.runtime import app
from bot.runtime.logs import setup_logging
from bot.runtime.reports import add_report_commands
from bot.runtime.settings import Settings
from bot.storage import migrate
from bot.storage.database import create_engine
from bot.storage.keys import make_vault, rotate

log = logging.getLogger(__name__)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the chosen command; return the exit status."""
    args = _parser().parse_args(argv)
    setup_logging(json_lines=_json_logs())
    try:
        return int(args.handler(args) or 0)
    except ContentError as error:
        print(f"Content is invalid, not starting: {error}", file=sys.stderr)
        return 2
    except ValidationError as error:
        # Only the messages: pydantic's own text repeats the input, secrets included.
        problems = "; ".join(str(e["msg"]) for e in error.errors())
        print(f"Configuration is invalid, not starting: {problems}", file=sys.stderr)
        return 2
    except TelegramNetworkError as error:
        print(f"Cannot reach the Bot API server (TELEGRAM_API_URL): {error}", file=sys.stderr)
        return 3


def _json_logs() -> bool:
    """LOG_JSON from the settings; invalid settings log plainly (their error is reported)."""
    try:
        return Settings().log_json
    except ValidationError:
        return False


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="run_bot.py", description="Sokh chatbot")
    parser.set_defaults(handler=_run)
    parser.add_argument("--role", choices=["web", "scheduler", "sender", "all"],
                        help="what this process does (default: ROLE, else all; docs/deploy.md)")
    commands = parser.add_subparsers(title="commands")
    commands.add_parser("run", help="run the bot (the simulator if BOT_TOKEN is unset)")
    commands.add_parser("simulator", help="run the local simulator and the bot").set_defaults(
        handler=_simulator
    )
    db = commands.add_parser("db", help="database tasks").add_subparsers(required=True)
    db.add_parser("upgrade", help="apply migrations").set_defaults(handler=_db_upgrade)
    keys = commands.add_parser("keys", help="key tasks").add_subparsers(required=True)
    keys.add_parser("rotate", help="re-encrypt and re-key stored data with SOKH_SECRET_KEY "
                    "(stop the bot first; safe to run again)").set_defaults(handler=_keys_rotate)
    content = commands.add_parser("content", help="content tasks").add_subparsers(required=True)
    add_content_commands(content)
    add_report_commands(commands)
    add_broadcast_command(commands)
    return parser


def _run(args: argparse.Namespace) -> int:
    role = getattr(args, "role", None)
    config = Settings(role=role) if role else Settings()
    if config.bot_token is None:
        return _simulator(args)
    asyncio.run(app.run(config))
    return 0


def _simulator(_: argparse.Namespace) -> int:
    # Imported here: a production install carries no simulator (it lives beside bot/).
    from simulator.run import run as run_simulator

    asyncio.run(run_simulator(Settings()))
    return 0


def _db_upgrade(_: argparse.Namespace) -> int:
    async def upgrade() -> None:
        engine = create_engine(Settings().database_url)
        await migrate.upgrade(engine)
        await engine.dispose()

    asyncio.run(upgrade())
    print("database is at the newest migration")
    return 0


def _keys_rotate(_: argparse.Namespace) -> int:
    async def run() -> dict[str, int]:
        config = Settings()
        vault, engine = make_vault(config), create_engine(config.database_url)
        try:
            await migrate.upgrade(engine)
            return await rotate(engine, vault)
        finally:
            await engine.dispose()

    done = asyncio.run(run())
    for table, count in done.items():
        print(f"{table}: {count} rows rewritten")
    print("every stored pseudonym and ciphertext is on the current key")
    return 0
