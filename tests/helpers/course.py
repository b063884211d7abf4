"""The bot with its proactive side driven by hand on a fake clock: in-process or over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy import text

from bot.proactive.sender import Sender
from bot.wiring import Proactive
from simulator.state import SimMessage, SimUser
from tests.helpers.dialog_client import DialogClient, dialog_client
from tests.helpers.harness import Harness, running_bot
from tests.test_sender import ZONE, FakeTime

__all__ = ["Course", "DialogCourse", "course_bot", "course_dialog", "join", "join_in_khmer",
           "query"]

S = TypeVar("S", DialogClient, Harness)


@dataclass
class Course(Generic[S]):
    """The bot, its proactive side driven by hand, and a fake clock."""

    sokh: S
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


DialogCourse = Course[DialogClient]
AnyCourse = Course[DialogClient] | Course[Harness]


def _driven(sokh: S, time: FakeTime) -> Course[S]:
    proactive = Proactive(sokh.services)
    sender = proactive.sender(sokh.bot, monotonic=time.monotonic, sleep=time.sleep)
    return Course(sokh, time, proactive, sender)


def _start() -> FakeTime:
    return FakeTime(now=datetime(2026, 12, 1, 0, 0, tzinfo=ZONE))


@asynccontextmanager
async def course_bot(db_url: str, **settings: Any) -> AsyncIterator[Course[Harness]]:
    """The whole bot over HTTP, in-process sender off so the test drives it."""
    time = _start()
    async with running_bot(db_url, time, outbox_sender=False, **settings) as sokh:
        yield _driven(sokh, time)
    assert not sokh.emu.errors, [(r.method, r.description) for r in sokh.emu.errors]


@asynccontextmanager
async def course_dialog(folder: Path, **settings: Any) -> AsyncIterator[DialogCourse]:
    """The dispatcher fed in-process, on SQLite; no request Telegram would refuse."""
    time = _start()
    async with dialog_client(folder, time, **settings) as sokh:
        yield _driven(sokh, time)
    assert not sokh.emu.errors, [(r.method, r.description) for r in sokh.emu.errors]


async def join(c: AnyCourse, user: SimUser, age: str = "3–5 years") -> SimMessage:
    """Start the bot in English and join the course: evenings, every day."""
    sokh = c.sokh
    choice = await sokh.say(user, "/start")
    menu = await sokh.tap(user, choice, "English")
    intro = await sokh.tap(user, menu, "📬 Parenting course")
    ages = await sokh.tap(user, intro, "▶️ Start the course")
    hours = await sokh.tap(user, ages, age)
    often = await sokh.tap(user, hours, "🌙 Evening (19:00)")
    return await sokh.tap(user, often, "Every day")


async def join_in_khmer(c: AnyCourse, user: SimUser, often: str) -> SimMessage:
    """Start the bot in Khmer and join the course for ages 0–2, mornings, `often`."""
    sokh = c.sokh
    choice = await sokh.say(user, "/start")
    menu = await sokh.tap(user, choice, "ខ្មែរ")
    intro = await sokh.tap(user, menu, "📬 វគ្គសិក្សាឪពុកម្តាយ")
    ages = await sokh.tap(user, intro, "▶️ ចាប់ផ្តើមវគ្គសិក្សា")
    hours = await sokh.tap(user, ages, "០–២ ឆ្នាំ")
    morning = await sokh.tap(user, hours, "🌅 ពេលព្រឹក (៧:០០)")
    return await sokh.tap(user, morning, often)


async def query(c: AnyCourse, sql: str) -> list[tuple[object, ...]]:
    """Rows straight from the bot's database."""
    async with c.sokh.services.engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(text(sql))]
