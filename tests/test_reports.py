"""`report sessions`: sessions, RSVPs and attendance by group, topic and month."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import date, datetime
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from bot.runtime import cli
from bot.runtime.clock import utc_now
from bot.runtime.reports import as_csv, session_report
from bot.storage import migrate
from bot.storage.database import create_engine, session_factory
from bot.storage.group_sessions import HELD, Plan, SessionStore
from bot.storage.groups import GroupStore
from bot.storage.vault import Vault
from tests.helpers.groups import group_world
from tests.helpers.harness import TEST_SALT, TEST_SECRET
from tests.test_dialogs_groups import schedule_weekly
from tests.test_sender import ZONE


async def test_the_report_shows_attendance_recorded_in_the_group(db_url: str) -> None:
    async with group_world(db_url) as w:
        await w.sokh.say(w.admin, "/start")
        await schedule_weekly(w, "8 weeks")
        w.at(2, 20)
        await w.tick()
        await w.tick()
        prompt = w.sokh.emu.last_bot_message(w.sokh.chat(w.admin))
        assert prompt is not None
        await w.sokh.tap(w.admin, prompt, w.sokh.emu.buttons(prompt)[0])
        await w.sokh.say(w.admin, "12 7 3 1 1")
        lines = await session_report(w.sokh.services.engine, date(2026, 12, 1),
                                     date(2027, 1, 31), ZONE)
    december, january = lines
    assert (december.group, december.topic, december.month) == (
        "Parents of Kampong Speu", december.topic, "2026-12")
    assert (december.sessions, december.held, december.attended, december.women) == (5, 1, 12, 7)
    assert (january.month, january.sessions, january.attended) == ("2027-01", 3, 0)


async def _seed(url: str) -> None:
    engine = create_engine(url)
    await migrate.upgrade(engine)
    sessions = session_factory(engine)
    group = await GroupStore(sessions, utc_now).join(-4001, "Youth club")
    store = SessionStore(sessions, utc_now, Vault(TEST_SECRET.encode(), TEST_SALT.encode()))
    plan = Plan("Club", "routines", datetime(2030, 3, 5, 17, tzinfo=ZONE), "School", (60,), 2)
    first, _ = await store.add(group.id, 700_000_001, plan)
    await store.change(first.id, status=HELD, attended=20, girls=11, boys=9)
    await store.rsvp(first.id, "p" * 40, True)
    await engine.dispose()


def test_report_cli_writes_csv_and_xlsx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'r.db'}"
    asyncio.run(_seed(url))
    monkeypatch.setenv("DATABASE_URL", url)
    base = ["report", "sessions", "--from", "2030-03-01", "--to", "2030-03-31"]
    assert cli.main([*base, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["group"], r["sessions"], r["held"], r["attended"], r["girls"], r["rsvp_coming"])
            for r in rows] == [("Youth club", "2", "1", "20", "11", "1")]
    xlsx = tmp_path / "r.xlsx"
    assert cli.main([*base, "--format", "xlsx", "--output", str(xlsx)]) == 0
    sheet = openpyxl.load_workbook(xlsx).active
    assert [c.value for c in sheet[2]][:5] == ["Youth club", "routines", "2030-03", 2, 1]


def test_csv_header_is_stable() -> None:
    assert as_csv([]).strip() == ("group,topic,month,sessions,held,cancelled,rsvp_coming,"
                                  "rsvp_not_coming,attended,women,men,girls,boys")
