"""The nudge job's set-based course path: many schedules in several chunks, exactly once."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.content.course import course_plan
from bot.proactive import nudges as nudges_module
from bot.storage.database import session_factory
from bot.storage.models import OutboxRow, Person, Schedule
from bot.storage.schedules import ACTIVE, COURSE, DONE, Schedules, next_at_hour
from bot.storage.vault import Vault
from tests.test_outbox import CONTENT, _nudges
from tests.test_sender import ZONE, Rig, rig_on

# (age, step, hour, every_days): a theme's last tip (its quiz follows), the last tip, one
# past the end (the celebration), a course that shrank under a person (still celebrated).
SHAPES = [(None, 0, 7, 1), (None, 4, 19, 2), ("0-2", 2, 12, 7), ("0-2", 19, 7, 1),
          ("0-2", 20, 7, 1), ("3-5", 31, 19, 1), ("3-5", 40, 12, 2), ("3-5", 7, 7, 3)]


def _expected(schedule_id: int, age: str | None, step: int) -> list[tuple[str, Any]]:
    """The (outbox step, payload) pairs one due course schedule must queue."""
    plan = course_plan(CONTENT.current, age)
    if step >= len(plan.items):
        return [(f"{schedule_id}-done", {"kind": "done", "age": age})]
    rows: list[tuple[str, Any]] = [(f"{schedule_id}-{step}", {
        "kind": "tip", "item": plan.items[step], "n": step + 1, "total": len(plan.items)})]
    if step in plan.quizzes:
        rows.append((f"{schedule_id}-q{step}", {"kind": "quiz", "quiz": plan.quizzes[step]}))
    return rows


async def _crowd(rig: Rig, count: int) -> tuple[list[Schedule], str, str]:
    """`count` people with due courses of every shape, one blocked, one due tomorrow."""
    schedules, made = Schedules(session_factory(rig.engine)), []
    for n in range(count + 2):
        _, key = await rig.person("km" if n % 2 else "en")
        age, step, hour, every = SHAPES[n % len(SHAPES)]
        due = rig.time() - timedelta(hours=n % 5)
        row = await schedules.replace(key, COURSE, age=age, step=step, hour=hour,
                                      every_days=every, next_due_at=due)
        made.append(row)
    blocked, later = made.pop(), made.pop()
    await rig.people.mark_blocked(blocked.person_key)
    await schedules.change(later.person_key, COURSE, next_due_at=rig.time() + timedelta(days=1))
    return made, blocked.person_key, later.person_key


async def _outbox(rig: Rig) -> dict[str, tuple[str | None, str | None, str, Any]]:
    query = select(OutboxRow.step, OutboxRow.person_key, OutboxRow.chat_id_enc,
                   OutboxRow.language, OutboxRow.payload, OutboxRow.campaign)
    async with rig.engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    assert all(r.campaign == COURSE for r in rows)
    return {r.step: (r.person_key, r.chat_id_enc, r.language, json.loads(r.payload))
            for r in rows}


async def test_due_courses_are_queued_set_based_once(
        db_url: str, vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("COURSE_CHUNK", "COURSE_CHUNK_POSTGRES"):  # several chunks, one partial
        monkeypatch.setattr(nudges_module, name, 7)
    async with rig_on(db_url, vault) as rig:
        made, blocked, later = await _crowd(rig, 30)
        nudges = _nudges(rig)
        assert await nudges.enqueue_due(rig.time()) == len(made)
        assert await nudges.enqueue_due(rig.time()) == 0, "moved on: nothing due twice"

        queued = await _outbox(rig)
        async with rig.engine.connect() as conn:
            people = {k: (enc, lang) for k, enc, lang in await conn.execute(
                select(Person.key, Person.chat_id_enc, Person.language))}
        expected = {step: (row.person_key, *people[row.person_key], payload)
                    for row in made for step, payload in _expected(row.id, row.age, row.step)}
        assert queued == expected, "each its own tip, quiz or celebration, chat id encrypted"
        assert {key for key, *_ in queued.values()}.isdisjoint({blocked, later})

        async with rig.engine.connect() as conn:
            after = {r.id: r for r in await conn.execute(select(Schedule))}
        for row in made:
            moved = after[row.id]
            if row.step >= len(course_plan(CONTENT.current, row.age).items):
                assert (moved.status, moved.step) == (DONE, row.step)
            else:
                assert (moved.status, moved.step) == (ACTIVE, row.step + 1)
                assert moved.next_due_at == next_at_hour(rig.time(), row.hour, ZONE,
                                                         row.every_days)


async def test_a_repeated_chunk_queues_nothing_twice(db_url: str, vault: Vault) -> None:
    async with rig_on(db_url, vault) as rig:
        made, _, _ = await _crowd(rig, 12)
        nudges = _nudges(rig)
        await nudges.enqueue_due(rig.time())
        first = await _outbox(rig)
        # As if the job had crashed after queueing but before the schedules moved on.
        async with rig.engine.begin() as conn:
            for row in made:
                await conn.execute(update(Schedule).where(Schedule.id == row.id).values(
                    status=ACTIVE, step=row.step, next_due_at=row.next_due_at))
        assert await nudges.enqueue_due(rig.time()) == len(made)
        assert await _outbox(rig) == first
        async with rig.engine.connect() as conn:
            count = len((await conn.execute(select(OutboxRow.id))).all())
        assert count == len(first)


async def test_a_schedule_changed_after_the_pick_waits_for_the_next_run(
        tmp_path: Path, vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    # SQLite only: it has no row locks, so another connection can write between the job's
    # pick and its insert (on PostgreSQL the picked rows are locked until the job commits).
    async with rig_on(f"sqlite+aiosqlite:///{tmp_path / 'race.db'}", vault) as rig:
        _, key = await rig.person()
        schedules = Schedules(session_factory(rig.engine))
        row = await schedules.replace(key, COURSE, step=0, hour=7, every_days=1,
                                      next_due_at=rig.time())
        pick = Schedules.due_shapes

        async def pick_then_change(session: Any, now: Any, limit: int, kind: str) -> list[Any]:
            picked = await pick(session, now, limit, kind)
            if picked:  # the person skipped ahead in another update meanwhile
                await schedules.change(key, COURSE, step=3)
            return picked

        monkeypatch.setattr(Schedules, "due_shapes", staticmethod(pick_then_change))
        await _nudges(rig).enqueue_due(rig.time())
        assert await _outbox(rig) == {}, "the stale step is not queued"
        stayed = await schedules.get(key, COURSE)
        assert stayed is not None and (stayed.step, stayed.status) == (3, ACTIVE)

        monkeypatch.undo()
        await _nudges(rig).enqueue_due(rig.time())
        assert list(await _outbox(rig)) == [f"{row.id}-3"], "the next run sends the new step"
        moved = await schedules.get(key, COURSE)
        assert moved is not None and moved.step == 4
