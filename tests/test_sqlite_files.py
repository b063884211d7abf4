"""SQLite files: readable by their owner only, and erased rows really gone from the bytes."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.storage import migrate
from bot.storage.database import _tune_sqlite, create_engine, session_factory
from bot.storage.people import People
from bot.storage.vault import Vault

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
# Stored as a content item id: text that would show in the file's bytes if kept.
MARKER = "marker-of-an-erased-row-5f2c9e"


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A permissive umask, as on a server where files are world-readable by default."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _modes(folder: Path) -> dict[str, int]:
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir() if p.is_file()}


@pytest.mark.usefixtures("open_umask")
async def test_database_and_wal_files_are_created_owner_only(tmp_path: Path,
                                                             vault: Vault) -> None:
    folder = tmp_path / "data"
    engine = create_engine(f"sqlite+aiosqlite:///{folder / 'sokh.db'}")
    await migrate.upgrade(engine)
    await People(session_factory(engine), vault, lambda: NOW).touch(1, 1)
    modes = _modes(folder)
    assert {"sokh.db", "sokh.db-wal", "sokh.db-shm"} <= modes.keys()
    assert all(mode == 0o600 for mode in modes.values()), {k: oct(v) for k, v in modes.items()}
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    await engine.dispose()


@pytest.mark.usefixtures("open_umask")
async def test_an_existing_world_readable_database_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    path.touch(mode=0o644)
    path.chmod(0o644)
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await migrate.upgrade(engine)
    assert all(mode == 0o600 for mode in _modes(tmp_path).values())
    await engine.dispose()


def test_secure_delete_is_switched_on_where_the_build_leaves_it_off(tmp_path: Path) -> None:
    # Debian builds SQLite with secure_delete on by default; python.org and macOS builds don't.
    connection = sqlite3.connect(tmp_path / "plain.db")
    connection.execute("PRAGMA secure_delete=OFF")
    _tune_sqlite(connection, None)
    assert connection.execute("PRAGMA secure_delete").fetchone() == (1,)
    connection.close()


async def test_secure_delete_is_on_and_forget_leaves_no_copy(tmp_path: Path,
                                                             vault: Vault) -> None:
    path = tmp_path / "sokh.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await migrate.upgrade(engine)
    async with engine.connect() as connection:
        assert (await connection.execute(text("PRAGMA secure_delete"))).scalar() == 1
    people = People(session_factory(engine), vault, lambda: NOW)
    key = (await people.touch(1, 1)).key
    other = (await people.touch(2, 2)).key
    for n in range(50):
        await people.record_delivery(key, "v1", f"{MARKER}-{n}")
    await people.record_delivery(other, "v1", "kept-item")
    async with engine.connect() as connection:  # the rows reach the database file itself
        await connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    assert MARKER.encode() in path.read_bytes()
    await people.forget(key)
    files = [p.read_bytes() for p in tmp_path.glob("sokh.db*")]
    assert not any(MARKER.encode() in data for data in files)
    assert await people.delivered_at(other), "only the person asked about is erased"
    await engine.dispose()
