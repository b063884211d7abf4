"""Observability (issue 17, item 5): JSON log lines without personal data, and the metrics
a campaign day is watched by, scraped over real HTTP from the running bot."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp

from bot.runtime.logs import JsonFormatter, setup_logging
from simulator.faults import Fault
from tests.helpers.databases import postgres_database
from tests.helpers.desk import desk
from tests.helpers.harness import Harness, lose_sqlite_database, running_bot


async def scrape(port: int) -> dict[str, float]:
    """/metrics as {'name{labels}': value}."""
    async with aiohttp.ClientSession() as http, \
            http.get(f"http://127.0.0.1:{port}/metrics") as response:
        assert response.status == 200
        text = await response.text()
    found = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            found[name] = float(value)
    return found


async def drained(port: int) -> dict[str, float]:
    """Scrape until the relay's queue is empty (the case's opening notes go one a second)."""
    for _ in range(40):
        found = await scrape(port)
        if found['sokh_outbox_depth{queue="relay"}'] == 0:
            return found
        await asyncio.sleep(0.5)
    raise AssertionError(f"the relay queue did not drain: {found}")


@contextmanager
def json_log() -> Iterator[io.StringIO]:
    """Everything logged meanwhile, formatted as the production JSON lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


async def test_json_log_lines_carry_no_person(tmp_path: Path) -> None:
    with json_log() as stream:
        async with running_bot(f"sqlite+aiosqlite:///{tmp_path / 'sokh.db'}",
                               flood_limit=3) as sokh:
            dara = sokh.emu.add_user(first_name="Dara", username="dara_pp", language_code="en")
            words = ["my stepfather hurts me every night", "Where is Kampot bus", "/help"]
            for text in words:
                await sokh.say(dara, text)
            for _ in range(5):  # over the flood limit: the throttle logs
                sokh.emu.send_text(dara, "Where is Kampot bus")
            await sokh.settle()
            await asyncio.sleep(2.5)  # past the flood window
            await lose_sqlite_database(sokh, tmp_path)  # failures log with their tracebacks
            await sokh.say(dara, "Where is Kampot bus tomorrow")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    handling = [line for line in lines if line["logger"].startswith(("dialogs.", "bot.pipeline"))]
    assert any("crisis reply sent" in line["message"] for line in handling)
    assert any("traceback" in line for line in handling), "a failure while handling is logged"
    assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    text = stream.getvalue()
    for secret in (str(dara.id), "Dara", "dara_pp", "stepfather", "Kampot"):
        assert secret not in text, secret


def test_a_json_line_is_one_object_with_the_failure() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("bot.x", logging.ERROR, __file__, 1, "failed %s", ("here",),
                                   exc_info=__import__("sys").exc_info())
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "failed here" and line["level"] == "ERROR"
    assert line["error"] == "ValueError" and "boom" in line["traceback"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["time"])


def test_job_runs_are_not_logged_but_their_failures_are() -> None:
    jobs = logging.getLogger("apscheduler.executors.default")
    quieted = [logging.getLogger(n) for n in ("aiogram.event", "apscheduler.executors")]
    levels = [logger.level for logger in quieted]
    root = logging.getLogger()
    seen, root_level = io.StringIO(), root.level
    handler = logging.StreamHandler(seen)
    root.addHandler(handler)
    try:
        setup_logging()
        root.setLevel(logging.INFO)  # LOG_LEVEL's default (pytest's handlers kept basicConfig out)
        jobs.info('Running job "nudges" (scheduled at noon)')
        jobs.error('Job "nudges" raised an exception')
    finally:
        root.removeHandler(handler)
        root.setLevel(root_level)
        for logger, level in zip(quieted, levels, strict=True):
            logger.setLevel(level)
    assert seen.getvalue() == 'Job "nudges" raised an exception\n'


async def test_metrics_follow_the_outbox_the_relay_and_telegram(unused_tcp_port: int) -> None:
    async with postgres_database() as url, desk(url, limits=True,
                                                health_listen=f"127.0.0.1:{unused_tcp_port}") as d:
        sokh = d.sokh
        assert isinstance(sokh, Harness)
        await d.open_case()
        first = await drained(unused_tcp_port)
        assert first["sokh_cases_waiting"] == 1 and first["sokh_backlog_sampled"] == 1
        assert first['sokh_telegram_sends_total{result="ok"}'] >= 3
        # The relay's next send hangs, then drops; the one after gets a 429: it waits it out.
        release = asyncio.Event()
        sokh.emu.faults.arm("sendMessage", Fault.stall(release), Fault.flood(1))
        sokh.emu.send_text(d.person, "are you there")
        await asyncio.sleep(1.5)
        stuck = await scrape(unused_tcp_port)
        assert stuck['sokh_outbox_depth{queue="relay"}'] == 1
        assert stuck["sokh_outbox_oldest_due_seconds"] >= 1.0
        release.set()
        await sokh.act(d.forum, lambda: None, lambda m: "are you there" in (m.text or ""),
                       timeout=15)
        after = await drained(unused_tcp_port)
    assert after["sokh_telegram_429_total"] == 1
    assert after['sokh_telegram_sends_total{result="retry_after"}'] == 1
    assert after['sokh_telegram_sends_total{result="error"}'] >= 1
    assert after["sokh_relay_delay_seconds_count"] >= first["sokh_relay_delay_seconds_count"] + 1
    assert after["sokh_cases_waiting"] == 1
    assert not any(str(d.person.id) in name for name in after)
