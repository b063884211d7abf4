"""Health, readiness and metrics over real HTTP, with the real databases and Redis."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from tests.helpers.databases import REDIS_TEST_URL
from tests.helpers.harness import lose_sqlite_database, running_bot


async def _get(port: int, path: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}{path}") as r:
        return r.status, await r.text()


async def test_probes_and_metrics_follow_the_dependencies(
    tmp_path: Path, unused_tcp_port: int
) -> None:
    async with running_bot(f"sqlite+aiosqlite:///{tmp_path / 'sokh.db'}",
                           redis_url=REDIS_TEST_URL,
                           health_listen=f"127.0.0.1:{unused_tcp_port}") as sokh:
        dara = sokh.emu.add_user(language_code="en")
        await sokh.say(dara, "/help")
        assert await _get(unused_tcp_port, "/healthz") == (200, '{"status": "ok"}')
        status, body = await _get(unused_tcp_port, "/readyz")
        assert status == 200 and '"database": "ok"' in body and '"redis": "ok"' in body
        status, scrape = await _get(unused_tcp_port, "/metrics")
        assert status == 200
        assert 'sokh_updates_total{type="message"}' in scrape
        assert "sokh_handler_seconds_count" in scrape and "sokh_flood_dropped" in scrape
        assert str(dara.id) not in scrape
        await lose_sqlite_database(sokh, tmp_path)
        status, body = await _get(unused_tcp_port, "/readyz")
        assert status == 503 and '"database": "down"' in body
        assert (await _get(unused_tcp_port, "/healthz"))[0] == 200


async def test_an_unreachable_redis_makes_the_worker_unready_not_silent(
    tmp_path: Path, unused_tcp_port: int
) -> None:
    async with running_bot(f"sqlite+aiosqlite:///{tmp_path / 'sokh.db'}",
                           redis_url="redis://127.0.0.1:1/0",
                           health_listen=f"127.0.0.1:{unused_tcp_port}") as sokh:
        status, body = await _get(unused_tcp_port, "/readyz")
        assert status == 503 and '"redis": "down"' in body and '"database": "ok"' in body
        hotlines = await sokh.say(sokh.emu.add_user(language_code="en"), "/help")
        assert "1280" in hotlines.text
