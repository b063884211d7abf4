"""A trainer's group, its proactive side driven by hand with a fake clock."""

# The bot is fed in-process (`group_dialog`) or runs over HTTP (`group_world`).

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bot.proactive.group_reminders import GroupReminders
from bot.proactive.sender import Sender
from bot.wiring import Proactive
from simulator.state import SimChat, SimMessage, SimUser
from tests.helpers.dialog_client import DialogClient, dialog_client
from tests.helpers.harness import Harness, running_bot
from tests.test_sender import ZONE, FakeTime


@dataclass
class GroupWorld:
    """The bot, a group with an admin and two members, and a fake clock."""

    sokh: DialogClient | Harness
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
        return await self.sokh.act(
            self.group, lambda: self.sokh.emu.send_text(user, text, chat=self.group,
                                                        reply_to=reply_to), _having(label))

    async def pin_in_group(self, user: SimUser, reply_to: SimMessage,
                           point: tuple[float, float] = (11.5564, 104.9282)) -> SimMessage:
        """Share a location in reply to the bot (privacy mode lets replies through)."""
        location = {"location": {"latitude": point[0], "longitude": point[1]}}
        return await self.sokh.act(self.group, lambda: self.sokh.emu.user_message(
            user, self.group, "location", content=location, reply_to=reply_to))

    async def tap(self, user: SimUser, message: SimMessage, label: str,
                  expect: str = "") -> SimMessage:
        """Tap a button and return the bot's next message in that chat (optionally matching)."""
        return await self.sokh.act(
            message.chat, lambda: self.sokh.emu.click(user, message, label), _having(expect))


def _having(text: str) -> Callable[[SimMessage], bool] | None:
    """A predicate on messages containing `text`; None (any message) for no text."""
    return (lambda m: text in (m.text or "")) if text else None


async def query(w: GroupWorld, sql: str) -> list[tuple[object, ...]]:
    """Rows of a raw query on the bot's database."""
    async with w.sokh.services.engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(text(sql))]


def _world(sokh: DialogClient | Harness, time: FakeTime) -> GroupWorld:
    """A group whose admin is Sophea, with Dara and Bopha as members."""
    proactive = Proactive(sokh.services)
    sender = proactive.sender(sokh.bot)
    sender.limits.monotonic = time.monotonic
    emu = sokh.emu
    admin = emu.add_user("Sophea", "sophea", language_code="en")
    dara = emu.add_user("Dara", "dara", language_code="en")
    bopha = emu.add_user("Bopha", "bopha", language_code="en")
    group = emu.add_group("Parents of Kampong Speu", members=[dara, bopha], admins=[admin],
                          bot_admin=False)
    return GroupWorld(sokh, time, proactive.reminders, sender, group, admin, dara, bopha)


@asynccontextmanager
async def group_world(db_url: str) -> AsyncIterator[GroupWorld]:
    """The whole bot over HTTP on a database; the sender is driven by hand."""
    time = FakeTime()
    async with running_bot(db_url, time, outbox_sender=False) as sokh:
        yield _world(sokh, time)
    assert not sokh.emu.errors, [(r.method, r.description) for r in sokh.emu.errors]


@asynccontextmanager
async def group_dialog(folder: Path, **overrides: Any) -> AsyncIterator[GroupWorld]:
    """The dispatcher fed in-process (on SQLite unless told); the sender is driven by hand."""
    time = FakeTime()
    async with dialog_client(folder, time, **overrides) as sokh:
        yield _world(sokh, time)
    assert not sokh.emu.errors, [(r.method, r.description) for r in sokh.emu.errors]
