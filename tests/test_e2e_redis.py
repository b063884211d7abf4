"""The scale path with Redis: shared state works, and a Redis outage silences no one."""

from __future__ import annotations

import socket
from pathlib import Path

from tests.helpers.databases import REDIS_TEST_URL
from tests.helpers.harness import running_bot


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_the_bot_runs_on_real_redis(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'r.db'}"
    async with running_bot(url, redis_url=REDIS_TEST_URL) as sokh:
        dara = sokh.emu.add_user(language_code="en")
        menu = await sokh.say(dara, "/menu")
        assert "1280" in (await sokh.tap(dara, menu, "🆘 Get help now")).text
    assert not sokh.emu.errors


async def test_crisis_reply_and_help_survive_redis_being_down(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'r.db'}"
    unreachable = f"redis://127.0.0.1:{_closed_port()}/0"
    async with running_bot(url, redis_url=unreachable) as sokh:
        dara = sokh.emu.add_user(language_code="en")
        crisis = await sokh.say(dara, "my stepfather hurts me every night")
        assert "1280" in crisis.text and "117" in crisis.text
        assert "Sorry, something went wrong" not in crisis.text
        assert "1280" in (await sokh.say(dara, "/help")).text
    assert not sokh.emu.errors
