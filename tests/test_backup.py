"""Backups are only as good as a restore (issue 17, item 6): a PostgreSQL database made by the
bot's migrations and written by the bot is dumped with pg_dump, restored with pg_restore into
a new database, and the bot started on the copy reads the person and her case as before."""

from __future__ import annotations

import asyncio
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import text

from bot.runtime.settings import Settings
from bot.wiring import Services, build_services
from tests.helpers.databases import postgres_database
from tests.helpers.harness import TEST_SALT, TEST_SECRET

KANHA = 700_123_456  # a Telegram id (the test's own: it is stored only as a pseudonym)
WORDS = "ខ្ញុំនៅផ្ទះមីង"


async def sokh_on(url: str) -> Services:
    """The bot's services on a database: migrations, the key check, the repositories."""
    return await build_services(Settings(
        database_url=url, redis_url=None, bot_token=None,
        sokh_secret_key=SecretStr(TEST_SECRET), sokh_key_salt=TEST_SALT))


async def run(*command: str) -> None:
    """Run a PostgreSQL client program; fail with its error output."""
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _, err = await process.communicate()
    assert process.returncode == 0, (command[0], err.decode())


def libpq(url: str) -> str:
    """The SQLAlchemy URL as pg_dump and pg_restore take it."""
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def revision(services: Services) -> str:
    async with services.engine.connect() as connection:
        return str((await connection.execute(text("SELECT version_num FROM alembic_version")))
                   .scalar_one())


async def test_a_pg_dump_restores_into_a_database_the_bot_reads(tmp_path: Path) -> None:
    dump = tmp_path / "sokh.dump"
    async with postgres_database() as original, postgres_database() as copy:
        sokh = await sokh_on(original)
        try:
            kanha = await sokh.people.touch(KANHA, KANHA)
            assert kanha.is_new
            await sokh.people.set_language(kanha.key, "km")
            case = await sokh.cases.open(kanha.key, KANHA, "km", urgent=True)
            await sokh.cases.record(case, "person", WORDS)
            head = await revision(sokh)
        finally:
            await sokh.close()
        await run("pg_dump", "--format=custom", f"--file={dump}", f"--dbname={libpq(original)}")
        await run("pg_restore", "--no-owner", "--exit-on-error", f"--dbname={libpq(copy)}",
                  str(dump))

        restored = await sokh_on(copy)
        try:
            assert await revision(restored) == head
            again = await restored.people.touch(KANHA, KANHA)
            assert again.key == kanha.key and not again.is_new and again.language == "km"
            found = await restored.cases.open_case(kanha.key)
            assert found is not None and found.alias == case.alias and found.urgent
            assert await restored.cases.transcript(found.id) == [("person", WORDS)]
        finally:
            await restored.close()
    assert dump.stat().st_size > 0
