"""Content reload without restart: atomic, and a bad pack keeps the old content running."""

from __future__ import annotations

import asyncio
import shutil
import signal
from pathlib import Path

from bot.content.store import ContentStore
from bot.runtime.reload import reload_content
from simulator.emulator import BotApiEmulator
from tests.helpers.harness import TOKEN
from tests.helpers.process import answers_help, bot_process

ROOT = Path(__file__).resolve().parent.parent


def _copy_content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content", folder)
    return folder


def _set_version(folder: Path, version: str) -> None:
    manifest = folder / "manifest.yaml"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    lines = [f'version: "{version}"' if line.startswith("version:") else line for line in lines]
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_reload_swaps_or_keeps_the_old(tmp_path: Path) -> None:
    folder = _copy_content(tmp_path)
    store = ContentStore(folder)
    first = store.current
    _set_version(folder, "2099.01.01-1")
    assert reload_content(store) and store.current.version == "2099.01.01-1"
    (folder / "services.yaml").write_text("services: [oops", encoding="utf-8")
    assert not reload_content(store)
    assert store.current.version == "2099.01.01-1" and store.current is not first


async def test_sighup_reloads_a_running_bot(tmp_path: Path) -> None:
    folder = _copy_content(tmp_path)
    async with (BotApiEmulator(token=TOKEN) as emu,
                bot_process(emu, tmp_path, CONTENT_DIR=str(folder)) as process):
        _set_version(folder, "2099.01.01-2")
        process.send_signal(signal.SIGHUP)
        assert await answers_help(emu)
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert "content reloaded" in stderr.decode() and "2099.01.01-2" in stderr.decode()
