"""Shared fixtures: real databases, a vault with a test key, and the project's paths."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.content.i18n import Locales
from bot.runtime.settings import REPO_ROOT
from bot.storage.vault import Vault
from tests.helpers.databases import database_url

TEST_SECRET = "test-secret-key-for-sokh-0123456789"


@pytest.fixture(params=["sqlite", "postgres"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """Each storage test runs on SQLite and on the machine's real PostgreSQL."""
    async with database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def vault() -> Vault:
    """A vault keyed with a fixed test secret."""
    return Vault(TEST_SECRET.encode())


@pytest.fixture(scope="session")
def locales() -> Locales:
    """The shipped interface strings."""
    return Locales(REPO_ROOT / "locales")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's root folder."""
    return REPO_ROOT
