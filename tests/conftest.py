"""Shared fixtures: real databases, the in-process dialog client, a vault, the project's paths."""

from __future__ import annotations

import gc
import itertools
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.content.i18n import Locales
from bot.runtime.settings import REPO_ROOT
from bot.storage.vault import Vault
from simulator.spec import default_spec_path
from tests.helpers.course import DialogCourse, course_dialog
from tests.helpers.databases import database_url
from tests.helpers.dialog_client import DialogClient, dialog_client
from tests.helpers.harness import TEST_SALT, TEST_SECRET

# Every this many tests the collector gets a full look at what earlier tests left.
FULL_COLLECTION_EVERY = 25
_tests_run = itertools.count(1)


def pytest_sessionstart(session: pytest.Session) -> None:
    """Most tests talk to the emulator, which needs the Bot API spec kept outside the repo:
    without it, say so once instead of failing hundreds of tests one by one."""
    spec = default_spec_path()
    if not spec.is_file():
        pytest.exit(f"Bot API spec not found at {spec}: clone beside ../shared/, or set "
                    "SOKH_BOTAPI_SPEC to the path of api.min.json (README, 'The local "
                    "simulator')", returncode=4)


@pytest.fixture(autouse=True)
def _collector_walks_only_this_test() -> Iterator[None]:
    """Freeze what earlier tests left, so the collector's pauses inside a test walk only the
    objects that test made (as run_bot.py freezes the loaded heap in production).

    Without this the suite's heap grew from test to test, and a full collection inside a
    late test stopped its event loop for over a second: a PostgreSQL connect timed out.
    """
    gc.freeze()
    yield
    gc.unfreeze()
    if next(_tests_run) % FULL_COLLECTION_EVERY == 0:
        gc.collect()


@pytest.fixture(params=["sqlite", "postgres"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """Each storage test runs on SQLite and on the machine's real PostgreSQL."""
    async with database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def vault() -> Vault:
    """A vault keyed with a fixed test secret."""
    return Vault(TEST_SECRET.encode(), TEST_SALT.encode())


@pytest.fixture(scope="session")
def locales() -> Locales:
    """The shipped interface strings."""
    return Locales(REPO_ROOT / "locales")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's root folder."""
    return REPO_ROOT


@pytest.fixture
async def dialog(tmp_path: Path) -> AsyncIterator[DialogClient]:
    """The real dispatcher on SQLite, fed in-process; no request Telegram would refuse."""
    async with dialog_client(tmp_path) as client:
        yield client
    assert not client.emu.errors, [(r.method, r.description) for r in client.emu.errors]


@pytest.fixture
async def course(tmp_path: Path) -> AsyncIterator[DialogCourse]:
    """The dialog client with its nudges and sender driven by hand on a fake clock."""
    async with course_dialog(tmp_path) as driven:
        yield driven
