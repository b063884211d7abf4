"""The simulator never runs on production data, whatever .env says."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.runtime.settings import Settings
from simulator.run import (
    SIMULATOR_TOKEN,
    fresh_database,
    production_present,
    refuse_production,
    simulator_settings,
)


def test_production_database_key_and_redis_are_not_used(tmp_path: Path) -> None:
    production = Settings(bot_token=SecretStr("1:real"), sokh_secret_key=SecretStr("p" * 40),
                          sokh_key_salt="production-salt-0123",
                          database_url="postgresql+asyncpg://sokh@db.example/sokh",
                          redis_url="redis://cache.example:6379/0", counsellor_chat_id=-100123)
    sim = simulator_settings(production, tmp_path, "http://127.0.0.1:8080")
    assert sim.database_url == f"sqlite+aiosqlite:///{tmp_path / 'simulator.db'}"
    assert sim.redis_url is None and sim.counsellor_chat_id != -100123
    assert sim.bot_token is not None and sim.bot_token.get_secret_value() == SIMULATOR_TOKEN
    key = sim.secret_key_bytes()
    assert key != b"p" * 40 and len(key) >= 32
    again = simulator_settings(production, tmp_path, "http://127.0.0.1:8080")
    assert again.secret_key_bytes() == key, "the simulator's key survives restarts"
    assert (tmp_path / "simulator-secret.key").stat().st_mode & 0o077 == 0
    salt = sim.key_salt_bytes()
    assert salt != b"production-salt-0123" and again.key_salt_bytes() == salt
    assert (tmp_path / "simulator-salt.key").stat().st_mode & 0o077 == 0


def test_a_restart_resets_the_database_with_the_chats(tmp_path: Path) -> None:
    simulator_settings(Settings(), tmp_path, "http://127.0.0.1:8080")  # makes the key
    for name in ("simulator.db", "simulator.db-wal", "simulator.db-shm"):
        (tmp_path / name).write_bytes(b"earlier guests")
    assert fresh_database(tmp_path) is True
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == ["simulator-salt.key", "simulator-secret.key"]
    assert fresh_database(tmp_path) is False, "nothing to erase the second time"


def test_the_simulator_refuses_production_settings_unless_told(tmp_path: Path) -> None:
    assert production_present(Settings()) == []
    refuse_production(Settings())  # a fresh checkout starts
    production = Settings(sokh_secret_key=SecretStr("p" * 40), redis_url="redis://db:6379/0",
                          database_url="postgresql+asyncpg://sokh@db/sokh")
    with pytest.raises(SystemExit, match="SOKH_SECRET_KEY, DATABASE_URL, REDIS_URL"):
        refuse_production(production)
    refuse_production(production.model_copy(update={"simulator_despite_production": True}))
