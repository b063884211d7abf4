"""Schedules become outbox rows: due times, time zones, completion, idempotent keys."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select, text

from bot.content.course import course_items
from bot.content.store import ContentStore
from bot.proactive.countdown import next_step
from bot.proactive.nudges import Nudges
from bot.proactive.outbox import NewMessage
from bot.runtime.settings import REPO_ROOT
from bot.storage.database import session_factory
from bot.storage.models import OutboxRow
from bot.storage.schedules import COURSE, DONE, TRAVEL, Schedules, next_at_hour
from bot.storage.vault import Vault
from tests.helpers.databases import postgres_database
from tests.test_sender import ZONE, Rig, rig_on

CONTENT = ContentStore(REPO_ROOT / "content")


def _nudges(rig: Rig) -> Nudges:
    return Nudges(session_factory(rig.engine), CONTENT, ZONE)


async def _rows(rig: Rig) -> list[tuple[str, str, dict[str, Any]]]:
    async with rig.engine.connect() as conn:
        rows = await conn.execute(select(OutboxRow.campaign, OutboxRow.step, OutboxRow.payload)
                                  .order_by(OutboxRow.id))
        return [(c, s, json.loads(p)) for c, s, p in rows]


async def test_duplicate_keys_are_ignored(db_url: str, vault: Vault) -> None:
    async with rig_on(db_url, vault) as rig:
        _, key = await rig.person()
        await rig.queue(key, ["1", "2"])
        await rig.queue(key, ["2", "3"])
        assert [s for _, s, _ in await _rows(rig)] == ["1", "2", "3"]


async def test_due_course_rows_become_tips_and_move_on(db_url: str, vault: Vault) -> None:
    async with rig_on(db_url, vault) as rig:
        _, key = await rig.person()
        schedules = Schedules(session_factory(rig.engine))
        row = await schedules.replace(key, COURSE, age="3-5", hour=19, every_days=2,
                                      next_due_at=rig.time())
        nudges = _nudges(rig)
        assert await nudges.enqueue_due(rig.time()) == 1
        assert await nudges.enqueue_due(rig.time()) == 0, "moved on: not due again"
        first = course_items(CONTENT.current, "3-5")[0]
        assert await _rows(rig) == [("course", f"{row.id}-0",
                                     {"kind": "tip", "item": first, "n": 1,
                                      "total": len(course_items(CONTENT.current, "3-5"))})]
        later = await schedules.get(key, COURSE)
        assert later is not None and later.step == 1
        assert later.next_due_at == datetime(2026, 12, 3, 19, tzinfo=ZONE), "in 2 days at 19:00"


async def test_finishing_the_course_queues_the_celebration(db_url: str, vault: Vault) -> None:
    async with rig_on(db_url, vault) as rig:
        _, key = await rig.person()
        schedules = Schedules(session_factory(rig.engine))
        total = len(course_items(CONTENT.current, None))
        await schedules.replace(key, COURSE, hour=7, every_days=1, next_due_at=rig.time())
        await schedules.change(key, COURSE, step=total)
        await _nudges(rig).enqueue_due(rig.time())
        assert [p["kind"] for _, _, p in await _rows(rig)] == ["done"]
        done = await schedules.get(key, COURSE)
        assert done is not None and done.status == DONE


async def test_a_schedule_started_again_gets_a_new_id(db_url: str, vault: Vault) -> None:
    async with rig_on(db_url, vault) as rig:
        _, key = await rig.person()
        schedules = Schedules(session_factory(rig.engine))
        ids = []
        for _ in range(2):  # stop, then start again: SQLite would hand out the same id
            row = await schedules.replace(key, COURSE, hour=7, every_days=1,
                                          next_due_at=rig.time())
            ids.append(row.id)
            await schedules.remove(key, COURSE)
        assert ids[1] > ids[0], "a new id, so the new course's outbox keys are new"


async def test_a_busy_person_row_does_not_hide_a_due_schedule(vault: Vault) -> None:
    # PostgreSQL only: SQLite has one writer and no row locks.
    async with postgres_database() as url, rig_on(url, vault) as rig:
        _, key = await rig.person()
        await Schedules(session_factory(rig.engine)).replace(
            key, COURSE, hour=7, every_days=1, next_due_at=rig.time())
        async with rig.engine.connect() as other:
            # What a delivery's foreign key check holds while its insert is in flight.
            await other.execute(text("SELECT 1 FROM people WHERE key = :k FOR KEY SHARE"),
                                {"k": key})
            assert await _nudges(rig).enqueue_due(rig.time()) == 1
            await other.rollback()


async def test_blocked_people_get_no_nudges(db_url: str, vault: Vault) -> None:
    async with rig_on(db_url, vault) as rig:
        _, key = await rig.person()
        await Schedules(session_factory(rig.engine)).replace(
            key, COURSE, hour=7, every_days=1, next_due_at=rig.time())
        await rig.people.mark_blocked(key)
        assert await _nudges(rig).enqueue_due(rig.time()) == 0


async def test_travel_countdown_walks_its_steps(db_url: str, vault: Vault) -> None:
    async with rig_on(db_url, vault) as rig:
        _, key = await rig.person()
        schedules = Schedules(session_factory(rig.engine))
        trip = date(2026, 12, 5)  # four days after NOON: -14 and -7 already passed
        step, due = next_step(trip, 0, rig.time(), ZONE)
        assert (step, due) == (2, datetime(2026, 12, 2, 8, tzinfo=ZONE))
        await schedules.replace(key, TRAVEL, destination="th", travel_date=trip, step=step,
                                next_due_at=due)
        nudges = _nudges(rig)
        for _ in range(6):
            rig.time.now = datetime(2026, 12, 12, tzinfo=UTC)
            await nudges.enqueue_due(rig.time())
        offsets = [p["offset"] for c, _, p in await _rows(rig) if c == TRAVEL]
        assert offsets == [-3], "a long outage sends the one due, skips the stale ones"


async def test_travel_steps_one_by_one(db_url: str, vault: Vault) -> None:
    async with rig_on(db_url, vault) as rig:
        _, key = await rig.person()
        schedules = Schedules(session_factory(rig.engine))
        trip = date(2026, 12, 20)
        step, due = next_step(trip, 0, rig.time(), ZONE)
        await schedules.replace(key, TRAVEL, destination="th", travel_date=trip, step=step,
                                next_due_at=due)
        nudges = _nudges(rig)
        while (row := await schedules.get(key, TRAVEL)) and row.next_due_at:
            rig.time.now = row.next_due_at + timedelta(minutes=1)
            await nudges.enqueue_due(rig.time())
        assert [p["offset"] for _, _, p in await _rows(rig)] == [-14, -7, -3, -1, 0, 3]


async def test_enqueue_needs_a_known_person(db_url: str, vault: Vault) -> None:
    async with rig_on(db_url, vault) as rig:
        _, key = await rig.person()
        await rig.outbox.enqueue([NewMessage(key, "x", "1", "enc", "en", {}, rig.time())])
        await rig.people.forget(key)
        async with rig.engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM outbox"))).scalar() == 0


def test_next_at_hour_in_phnom_penh() -> None:
    morning = datetime(2026, 12, 1, 6, 0, tzinfo=ZONE)
    assert next_at_hour(morning, 7, ZONE) == morning.replace(hour=7)
    assert next_at_hour(morning.replace(hour=8), 7, ZONE) == datetime(2026, 12, 2, 7, tzinfo=ZONE)
    assert next_at_hour(morning, 7, ZONE, days=7) == datetime(2026, 12, 8, 7, tzinfo=ZONE)
    assert next_at_hour(morning.astimezone(UTC), 19, ZONE).astimezone(UTC).hour == 12
