"""Real databases for tests: a file SQLite per test, a fresh PostgreSQL database per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg

POSTGRES_ADMIN_DSN = os.environ.get(
    "SOKH_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)
REDIS_TEST_URL = os.environ.get("SOKH_TEST_REDIS", "redis://127.0.0.1:6379/15")


@asynccontextmanager
async def postgres_database() -> AsyncIterator[str]:
    """Create a throw-away database on the machine's PostgreSQL; yield its async URL."""
    name = f"sokh_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    try:
        yield f"{base}/{name}"
    finally:
        admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@asynccontextmanager
async def database_url(kind: str, folder: Path) -> AsyncIterator[str]:
    """A fresh database of `kind` ('sqlite' or 'postgres')."""
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{folder / 'sokh.db'}"
        return
    async with postgres_database() as url:
        yield url


async def forget_redis_keys(*patterns: str) -> None:
    """Delete this test Redis's keys matching `patterns` (earlier runs' claims and turns).

    The emulator numbers updates from the same id every run, so a claim left by an earlier
    run would make a fresh update look done.
    """
    from redis.asyncio import Redis  # here: most users of this module need no Redis

    redis = Redis.from_url(REDIS_TEST_URL)
    try:
        for pattern in patterns:
            keys = [key async for key in redis.scan_iter(pattern)]
            if keys:
                await redis.delete(*keys)
    finally:
        await redis.aclose()
