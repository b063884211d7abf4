"""Async engine and session factory for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError, SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

log = logging.getLogger(__name__)
# PostgreSQL that hangs must fail within bounds, not hold a worker for TCP's own timeouts
# (minutes): connecting, waiting for a pooled connection, and any one statement. The crisis
# reply never waits on the database at all (docs/deploy.md, "Degraded, not down").
PG_CONNECT_TIMEOUT_S = 1.0
PG_POOL_TIMEOUT_S = 2.0
PG_COMMAND_TIMEOUT_S = 10.0
# A pooled connection idle longer than this is pinged before use: it may have died with a
# restart or an outage. Pinging every checkout (pool_pre_ping) cost a quarter of the bot's CPU
# per first contact on PostgreSQL; a busy connection proves itself alive by being used.
PG_PING_IDLE_S = 5.0


def create_engine(database_url: str) -> AsyncEngine:
    """Create the engine, making the SQLite folder and tuning SQLite for a bot's load."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        engine = create_async_engine(
            url, pool_size=10, max_overflow=10, pool_timeout=PG_POOL_TIMEOUT_S,
            connect_args={"timeout": PG_CONNECT_TIMEOUT_S,
                          "command_timeout": PG_COMMAND_TIMEOUT_S},
        )
        _ping_when_idle(engine)
        return engine
    if url.database and url.database != ":memory:":
        _private_file(Path(url.database))
    engine = create_async_engine(url, connect_args={"timeout": 15})
    event.listen(engine.sync_engine, "connect", _tune_sqlite)
    return engine


def _ping_when_idle(engine: AsyncEngine) -> None:
    """Ping a pooled connection before use only when it sat idle; a dead one is replaced."""
    dialect, idle_s = engine.dialect, PG_PING_IDLE_S

    @event.listens_for(engine.sync_engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _taken(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < idle_s:
            return  # new, or in use a moment ago
        try:
            alive = dialect.do_ping(dbapi_connection)
        except Exception as error:  # any failure: the pool connects anew (up to 3 tries)
            raise DisconnectionError("idle connection is gone") from error
        if not alive:
            raise DisconnectionError("idle connection is gone")


def _private_file(path: Path) -> None:
    """Create the database file readable by its owner only, and tighten an existing one.

    SQLite gives its -wal and -shm files the database file's permissions, so they follow.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm", f"{path.name}-journal"):
        if (path.parent / name).exists():
            (path.parent / name).chmod(0o600)


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the sender read while dialogs write; foreign keys make /forget cascade;
    # secure_delete overwrites erased rows instead of leaving them in free pages.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


async def drop_erased_copies(sessions: async_sessionmaker[AsyncSession]) -> None:
    """On SQLite, fold the WAL into the database and truncate it after an erasure.

    secure_delete overwrites erased rows in the database file, but the -wal file keeps older
    copies of the pages until it is reused; truncating it drops them now. Best effort: a
    busy database keeps them until the next checkpoint.
    """
    async with sessions() as session:
        if session.get_bind().dialect.name != "sqlite":
            return
        try:
            await session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        except SQLAlchemyError:
            log.warning("could not truncate the SQLite WAL after an erasure", exc_info=True)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Session factory that keeps loaded objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)
