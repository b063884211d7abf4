"""Start-up work every test client repeats identically, done once per test run."""

from __future__ import annotations

import atexit
import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from tempfile import mkdtemp
from typing import ParamSpec, TypeVar, cast
from unittest.mock import patch

import bot.content.store
import bot.wiring
from bot.content.i18n import Locales
from bot.language.risk import RiskDetector
from bot.storage import migrate
from bot.storage.database import create_engine

__all__ = ["files_parsed_once", "migrated_sqlite"]

P = ParamSpec("P")
R = TypeVar("R")
_LOADED: dict[tuple[object, ...], object] = {}
_TEMPLATE: list[Path] = []


def _once(factory: Callable[P, R]) -> Callable[P, R]:
    """`factory`, remembering its result for the same arguments."""
    def load(*args: P.args, **kwargs: P.kwargs) -> R:
        key = (factory, *args, *sorted(kwargs.items()))
        if key not in _LOADED:
            _LOADED[key] = factory(*args, **kwargs)
        return cast(R, _LOADED[key])
    return load


_load_content = _once(bot.content.store.load_content)
_locales = _once(Locales)
_risk = _once(RiskDetector.from_file)


@contextmanager
def files_parsed_once() -> Iterator[None]:
    """While build_services runs: content, locales and risk terms parsed once per run."""
    # Each is immutable once loaded (a content reload swaps the store's `current` whole), and
    # parsing them was most of a dialog test's time. Each client still gets its own store.
    with ExitStack() as stack:
        stack.enter_context(patch.object(bot.content.store, "load_content", _load_content))
        stack.enter_context(patch.object(bot.wiring, "Locales", _locales))
        stack.enter_context(patch.object(RiskDetector, "from_file", _risk))
        yield


async def migrated_sqlite(path: Path) -> str:
    """A SQLite file at `path` at the newest schema: a copy of one migrated once per run."""
    if not _TEMPLATE:
        folder_of_template = Path(mkdtemp(prefix="sokh-dialog-"))
        atexit.register(shutil.rmtree, folder_of_template, ignore_errors=True)
        template = folder_of_template / "template.db"
        engine = create_engine(f"sqlite+aiosqlite:///{template}")
        await migrate.upgrade(engine)
        await engine.dispose()
        _TEMPLATE.append(template)
    shutil.copyfile(_TEMPLATE[0], path)
    return f"sqlite+aiosqlite:///{path}"
