"""A trainer's group in the emulator, its proactive side driven by hand with a fake clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text

from bot.proactive.group_reminders import GroupReminders
from bot.proactive.sender import Sender
from bot.wiring import Proactive
from simulator.state import SimChat, SimMessage, SimUser
from tests.helpers.harness import Harness, running_bot
from tests.test_sender import ZONE, FakeTime


@dataclass
class GroupWorld:
    """The running bot, a group with an admin and two members, and a fake clock."""

    sokh: Harness
    time: FakeTime
    reminders: GroupReminders
    sender: Sender
    group: SimChat
    admin: SimUser
    dara: SimUser
    bopha: SimUser

    def at(self, day: int, hour: int, minute: int = 0) -> None:
        """Move the clock to a local time in December 2026."""
        moment = datetime(2026, 12, day, hour, minute, tzinfo=ZONE)
        self.time.advance((moment - self.time.now).total_seconds())

    async def tick(self) -> int:
        """Run the reminder job and one sender pass; return how many rows were sent."""
        await self.reminders.enqueue_due()
        return await self.sender.run_once()

    async def in_group(self, user: SimUser, text: str, reply_to: SimMessage | None = None,
                       label: str = "") -> SimMessage:
        """Write in the group and return the bot's next message there (optionally matching)."""
        waiting = self.sokh.emu.wait_for_bot_message(
            self.group, 5.0, (lambda m: label in (m.text or "")) if label else None)
        self.sokh.emu.send_text(user, text, chat=self.group, reply_to=reply_to)
        return await waiting

    async def pin_in_group(self, user: SimUser, reply_to: SimMessage,
                           point: tuple[float, float] = (11.5564, 104.9282)) -> SimMessage:
        """Share a location in reply to the bot (privacy mode lets replies through)."""
        waiting = self.sokh.emu.wait_for_bot_message(self.group, 5.0)
        location = {"latitude": point[0], "longitude": point[1]}
        self.sokh.emu.user_message(user, self.group, "location", content={"location": location},
                                   reply_to=reply_to)
        return await waiting

    async def tap(self, user: SimUser, message: SimMessage, label: str,
                  expect: str = "") -> SimMessage:
        """Tap a button and return the bot's next message in that chat (optionally matching)."""
        waiting = self.sokh.emu.wait_for_bot_message(
            message.chat, 5.0, (lambda m: expect in (m.text or "")) if expect else None)
        self.sokh.emu.click(user, message, label)
        return await waiting


async def query(w: GroupWorld, sql: str) -> list[tuple[object, ...]]:
    """Rows of a raw query on the bot's database."""
    async with w.sokh.app.services.engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(text(sql))]


@asynccontextmanager
async def group_world(db_url: str) -> AsyncIterator[GroupWorld]:
    """The bot on a database, with a group whose admin is Sophea; the sender is driven by hand."""
    time = FakeTime()
    async with running_bot(db_url, time, outbox_sender=False) as sokh:
        proactive = Proactive(sokh.app.services)
        reminders = proactive.reminders
        sender = proactive.sender(sokh.app.bot)
        sender.limits.monotonic = time.monotonic
        emu = sokh.emu
        admin = emu.add_user("Sophea", "sophea", language_code="en")
        dara = emu.add_user("Dara", "dara", language_code="en")
        bopha = emu.add_user("Bopha", "bopha", language_code="en")
        group = emu.add_group("Parents of Kampong Speu", members=[dara, bopha], admins=[admin],
                              bot_admin=False)
        yield GroupWorld(sokh, time, reminders, sender, group, admin, dara, bopha)
    assert not sokh.emu.errors, [(r.method, r.description) for r in sokh.emu.errors]
