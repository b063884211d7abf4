"""The parenting course end to end: opt in, receive on time, next, pause, resume, stop."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from bot.proactive.sender import Sender
from bot.wiring import Proactive
from simulator.state import SimMessage, SimUser
from tests.helpers.harness import Harness, running_bot
from tests.test_sender import ZONE, FakeTime


@dataclass
class Course:
    """The running bot, its proactive side driven by hand, and a fake clock."""

    sokh: Harness
    time: FakeTime
    proactive: Proactive
    sender: Sender

    async def tick(self, user: SimUser) -> SimMessage | None:
        """Run the nudge job and one sender pass; return what reached the person, if any."""
        before = self.sokh.emu.last_bot_message(self.sokh.chat(user))
        await self.proactive.enqueue()
        await self.sender.run_once()
        after = self.sokh.emu.last_bot_message(self.sokh.chat(user))
        return after if after is not before else None

    def at(self, day: int, hour: int, minute: int = 1) -> None:
        """Move the clock to a local time in December 2026."""
        moment = datetime(2026, 12, day, hour, minute, tzinfo=ZONE)
        self.time.advance((moment - self.time.now).total_seconds())


@asynccontextmanager
async def course_bot(db_url: str, **settings: Any) -> AsyncIterator[Course]:
    """The bot with the in-process sender off so the test drives it; no refused request."""
    time = FakeTime(now=datetime(2026, 12, 1, 0, 0, tzinfo=ZONE))
    async with running_bot(db_url, time, outbox_sender=False, **settings) as sokh:
        proactive = Proactive(sokh.app.services)
        sender = proactive.sender(sokh.app.bot, monotonic=time.monotonic, sleep=time.sleep)
        yield Course(sokh, time, proactive, sender)
    assert not sokh.emu.errors, [(r.method, r.description) for r in sokh.emu.errors]


@pytest.fixture
async def course(db_url: str) -> AsyncIterator[Course]:
    """The bot on each database, driven by hand on a fake clock."""
    async with course_bot(db_url) as driven:
        yield driven


async def join(c: Course, user: SimUser, age: str = "3–5 years") -> SimMessage:
    """Start the bot in English and join the course: evenings, every day."""
    sokh = c.sokh
    choice = await sokh.say(user, "/start")
    menu = await sokh.tap(user, choice, "English")
    intro = await sokh.tap(user, menu, "📬 Parenting course")
    ages = await sokh.tap(user, intro, "▶️ Start the course")
    hours = await sokh.tap(user, ages, age)
    often = await sokh.tap(user, hours, "🌙 Evening (19:00)")
    return await sokh.tap(user, often, "Every day")


async def join_in_khmer(c: Course, user: SimUser, often: str) -> SimMessage:
    """Start the bot in Khmer and join the course for ages 0–2, mornings, `often`."""
    sokh = c.sokh
    choice = await sokh.say(user, "/start")
    menu = await sokh.tap(user, choice, "ខ្មែរ")
    intro = await sokh.tap(user, menu, "📬 វគ្គសិក្សាឪពុកម្តាយ")
    ages = await sokh.tap(user, intro, "▶️ ចាប់ផ្តើមវគ្គសិក្សា")
    hours = await sokh.tap(user, ages, "០–២ ឆ្នាំ")
    morning = await sokh.tap(user, hours, "🌅 ពេលព្រឹក (៧:០០)")
    return await sokh.tap(user, morning, often)


async def test_tips_arrive_at_the_chosen_time_in_the_persons_language(course: Course) -> None:
    c, dara = course, course.sokh.emu.add_user(language_code="en")
    c.at(1, 12)
    started = await join(c, dara)
    assert "first tip arrives on 01/12 19:00" in started.text
    assert await c.tick(dara) is None, "not before 19:00"
    c.at(1, 19)
    tip = await c.tick(dara)
    assert tip is not None and "Tip 1 of" in tip.text
    assert c.sokh.emu.buttons(tip) == ["👍 Useful", "👎 Not useful", "⏭ Next tip now",
                                       "⏸ Pause"]
    assert await c.tick(dara) is None, "one a day"
    c.at(2, 19)
    second = await c.tick(dara)
    assert second is not None and "Tip 2 of" in second.text
    rows = await query(c, "SELECT count(*) FROM deliveries")
    assert rows == [(2,)], "each delivered tip is recorded with its content version"


async def test_next_now_pause_resume_and_stop(course: Course) -> None:
    c, sokh = course, course.sokh
    dara = sokh.emu.add_user(language_code="en")
    c.at(1, 18)
    await join(c, dara)
    c.at(1, 19)
    tip = await c.tick(dara)
    assert tip is not None
    answered = sokh.emu.wait_for_request("answerCallbackQuery")
    sokh.emu.click(dara, tip, "👍 Useful")
    assert (await answered).params.get("text") == "Thank you! Glad it helps."
    nxt = await sokh.tap(dara, tip, "⏭ Next tip now")
    assert "Tip 2 of" in nxt.text and nxt.message_id != tip.message_id
    paused = await sokh.tap(dara, nxt, "⏸ Pause")
    assert "paused" in paused.text
    c.at(3, 19)
    assert await c.tick(dara) is None, "nothing while paused"
    assert "back on" in (await sokh.say(dara, "/resume")).text
    c.at(4, 19)
    third = await c.tick(dara)
    assert third is not None and "Tip 3 of" in third.text
    assert "stopped" in (await sokh.say(dara, "/stop")).text
    c.at(5, 19)
    assert await c.tick(dara) is None


async def test_khmer_nudges_and_no_clear_ids_in_the_outbox(course: Course) -> None:
    c, sokh = course, course.sokh
    sophea = sokh.emu.add_user(language_code="km")
    c.at(1, 6)
    await join_in_khmer(c, sophea, "មួយសប្តាហ៍ម្តង")
    c.at(1, 7)
    tip = await c.tick(sophea)
    assert tip is not None and "គន្លឹះទី 1" in tip.text
    dump = await query(c, "SELECT * FROM outbox")
    assert str(sophea.id) not in repr(dump) and "Sophea" not in repr(dump)
    c.time.advance(timedelta(days=6).total_seconds())
    assert await c.tick(sophea) is None, "weekly"


async def query(c: Course, sql: str) -> list[tuple[object, ...]]:
    """Rows straight from the bot's database."""
    async with c.sokh.app.services.engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(text(sql))]


async def test_the_nudge_job_is_one_periodic_job_in_memory(course: Course) -> None:
    from apscheduler.jobstores.memory import MemoryJobStore

    from bot.proactive.jobs import add_jobs, create_scheduler
    from bot.wiring import jobs

    services, bot = course.sokh.app.services, course.sokh.app.bot
    scheduler = create_scheduler("Asia/Phnom_Penh")
    add_jobs(scheduler, jobs(services, bot, course.proactive))
    add_jobs(scheduler, jobs(services, bot, course.proactive))  # a restart re-adds, never doubles
    scheduler.start(paused=True)
    job = scheduler.get_job("nudges")
    assert job is not None and [j.id for j in scheduler.get_jobs()].count("nudges") == 1
    assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 3600)
    assert isinstance(scheduler._lookup_jobstore("default"), MemoryJobStore)
    scheduler.shutdown(wait=False)
