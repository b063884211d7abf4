"""The counsellors' desk: a forum, two counsellors and a person, in-process or over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text

from simulator.emulator import BotApiEmulator
from simulator.state import SimChat, SimMessage, SimUser
from tests.helpers.dialog_client import DialogClient, dialog_client
from tests.helpers.harness import TOKEN, Harness, serving

__all__ = ["FORUM_ID", "FRESH", "SHARE", "TAKE", "Desk", "desk", "desk_dialog", "rows"]

FORUM_ID = -1001234567890
TAKE = "🙋 Take this case"
SHARE = "✅ Yes, start and pass on what I wrote"
FRESH = "Start without what I wrote"


@dataclass
class Desk:
    """The bot with a counsellors' forum, two counsellors and a person."""

    sokh: DialogClient | Harness
    forum: SimChat
    vanna: SimUser
    rith: SimUser
    person: SimUser

    async def forum_message(self, action: Any) -> SimMessage:
        """Do something and return the bot's next message in the forum."""
        return await self.sokh.act(self.forum, action)

    async def person_message(self, action: Any) -> SimMessage:
        """Do something and return the bot's next message to the person."""
        return await self.sokh.act(self.sokh.chat(self.person), action)

    async def open_case(self, first: str = "my stepfather hurts me",
                        choice: str = SHARE) -> SimMessage:
        """Crisis reply → offer → consent (a new message) → case; return 'connected'."""
        crisis = await self.sokh.say(self.person, first)
        consent = await self.sokh.tap(self.person, crisis, "💬 Talk to a counsellor")
        assert "never see your name" in consent.text and consent.message_id != crisis.message_id
        connected = await self.sokh.tap(self.person, consent, choice)
        await self.sokh.settle()
        return connected

    def topic_id(self) -> int:
        """The thread of the newest case topic."""
        return max(self.forum.topics)

    def intro(self) -> SimMessage:
        """The topic's first bot message, holding the Take button."""
        return next(m for m in self.forum.messages.values() if TAKE in self.sokh.emu.buttons(m))


def _on_duty(overrides: dict[str, Any]) -> dict[str, Any]:
    """Counsellors on duty around the clock, unless overridden."""
    return {"counsellor_chat_id": FORUM_ID, "counsellor_language": "en",
            "counsellor_open_hour": 0, "counsellor_close_hour": 24, **overrides}


def _desk(sokh: DialogClient | Harness) -> Desk:
    emu = sokh.emu
    vanna = emu.add_user(first_name="Vanna", username="vanna_c", language_code="en")
    rith = emu.add_user(first_name="Rith", username="rith_c", language_code="en")
    forum = emu.add_group("Counsellors", is_forum=True, admins=[vanna], members=[rith],
                          chat_id=FORUM_ID)
    person = emu.add_user(first_name="Chanthou", username="chanthou_kh", language_code="en")
    return Desk(sokh, forum, vanna, rith, person)


def _check(sokh: DialogClient | Harness, limits: bool = False) -> None:
    # Under enforced limits a 429 is Telegram's answer, not a refused request: the bot waits.
    errors = [r for r in sokh.emu.errors if not (limits and r.error_code == 429)]
    assert not errors, [(r.method, r.description) for r in errors]
    assert not sokh.emu.calls("forwardMessage"), "relays copy, never forward"


@asynccontextmanager
async def desk(db_url: str, limits: bool = False, **overrides: Any) -> AsyncIterator[Desk]:
    """The whole bot over HTTP on a database, with counsellors; `limits`: Telegram's
    flood limits enforced (429 with retry_after)."""
    async with BotApiEmulator(token=TOKEN, enforce_limits=limits) as emu, \
            serving(emu, db_url, **_on_duty(overrides)) as sokh:
        yield _desk(sokh)
    _check(sokh, limits)


@asynccontextmanager
async def desk_dialog(folder: Path, **overrides: Any) -> AsyncIterator[Desk]:
    """The dispatcher fed in-process on SQLite, with counsellors."""
    async with dialog_client(folder, **_on_duty(overrides)) as sokh:
        yield _desk(sokh)
    _check(sokh)


async def rows(sokh: DialogClient | Harness, sql: str) -> list[tuple[Any, ...]]:
    """Raw rows, to check what storage really holds."""
    async with sokh.services.engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(text(sql))]
