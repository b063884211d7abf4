"""Forged taps: every kind of button, values drawn at random, from someone it is not for.

The kinds are collected from `dialogs.callbacks`, so a new flow's buttons are forged here
without editing this test. The forger is the admin of another group, tapping in her group
and in her private chat; the victim is a group with a weekly series of sessions.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.storage.base import StorageKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogs import callbacks
from dialogs.buttons import rules
from simulator.state import SimChat, SimMessage, SimUser
from tests.helpers.groups import GroupWorld, group_dialog, query
from tests.test_dialogs_groups import schedule_weekly

TITLE, PLACE = "Secret circle Q7", "Hidden hall Z9"
KINDS = [kind for _, kind in inspect.getmembers(callbacks, inspect.isclass)
         if issubclass(kind, CallbackData) and kind is not CallbackData]
# What the victim's state is made of: any change here, after a forged tap, is a hole.
VICTIM_STATE = (
    "SELECT id, group_id, title, topic, place, starts_at, status, attended FROM group_sessions",
    "SELECT id, chat_id, title, language, status FROM groups",
    "SELECT * FROM session_rsvps", "SELECT * FROM group_trainers", "SELECT * FROM tip_feedback",
    "SELECT id, status FROM cases",
)


def test_every_kind_of_button_has_a_rule() -> None:
    assert len(KINDS) >= 20, "the scan found too few kinds of button"
    assert set(KINDS) <= rules().keys()


class Forgery:
    """The victim's group and sessions, and a forger with her own group and chat."""

    def __init__(self, w: GroupWorld, forger: SimUser, own_group: SimChat,
                 places: list[SimMessage]) -> None:
        self.w, self.forger, self.own_group, self.places = w, forger, own_group, places

    async def state(self) -> list[list[tuple[object, ...]]]:
        """The victim's rows, as they stand."""
        return [await query(self.w, sql) for sql in VICTIM_STATE]

    async def forms(self) -> list[dict[str, Any]]:
        """The forger's form data in each chat she taps in."""
        storage, bot_id = self.w.sokh.dispatcher.storage, self.w.sokh.bot.id
        keys = [StorageKey(bot_id=bot_id, chat_id=m.chat.id, user_id=self.forger.id)
                for m in self.places]
        return [await storage.get_data(key) for key in keys]


@pytest.fixture
async def forgery(db_url: str, tmp_path: Path) -> AsyncIterator[Forgery]:
    """A victim group with four weekly sessions; Mallory, admin of her own group."""
    async with group_dialog(tmp_path, database_url=db_url) as w:
        emu = w.sokh.emu
        await schedule_weekly(w, title=TITLE, place=PLACE)
        mallory = emu.add_user("Mallory", "mallory", language_code="en")
        own = emu.add_group("Mallory's parents", admins=[mallory], bot_admin=False)
        in_group = await w.sokh.act(own, lambda: emu.send_text(mallory, "/sessions", chat=own))
        in_private = await w.sokh.say(mallory, "/start")
        yield Forgery(w, mallory, own, [in_group, in_private])


def _values(annotation: Any, ids: list[int]) -> st.SearchStrategy[Any]:
    """Values for one field: the set's own, other people's ids, and anything at all."""
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return st.sampled_from(list(annotation))
    if annotation in (bool, "bool"):
        return st.booleans()
    numbers = st.one_of(st.sampled_from(ids), st.integers(-10**6, 10**9))
    if annotation in (int, "int"):
        return numbers
    known = ["", "2000", "400000", "-1000", "skip", "one", "later", "24-1", "title", "topic",
             "0-2", "7", "th", date(2026, 12, 9).isoformat(), "th.2026-12", "th.2026-12-24",
             "2026-12", "2026-12-09T18.00", "18.00", "4.24-1"]
    return st.one_of(st.sampled_from(known), numbers.map(str),
                     st.text("abcdefghijklmnopqrstuvwxyz0123456789.-_", max_size=24))


@st.composite
def forged(draw: st.DrawFn, ids: list[int]) -> str:
    """Packed callback data of some kind of button, with drawn values."""
    kind = draw(st.sampled_from(KINDS))
    values = {name: draw(_values(field.annotation, ids))
              for name, field in kind.model_fields.items()}
    try:
        data = kind(**values).pack()
    except ValueError:  # a value with the separator, or over Telegram's 64 bytes
        data = f"{kind.__prefix__}:{draw(st.text(max_size=20))}"
    return data


async def _ids(f: Forgery, sql: str) -> list[int]:
    return [int(str(row[0])) for row in await query(f.w, sql)]


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
async def test_a_forged_tap_changes_nothing_and_shows_nothing_foreign(
        forgery: Forgery, data: st.DataObject) -> None:
    f, sokh = forgery, forgery.w.sokh
    victim = await _ids(f, "SELECT id FROM group_sessions")
    victim += await _ids(f, f"SELECT id FROM groups WHERE chat_id = {f.w.group.id}")
    ids = [*victim, *await _ids(f, "SELECT id FROM groups")]
    before, calls = await f.state(), len(sokh.session.calls)
    place = data.draw(st.sampled_from(f.places))
    await sokh.click_raw(f.forger, place.message_id, data.draw(forged(ids)), chat=place.chat)
    assert await f.state() == before
    shown = " ".join(str(c.params) for c in sokh.session.calls[calls:])
    assert TITLE not in shown and PLACE not in shown and f.w.group.title not in shown
    for form in await f.forms():
        assert form.get("session") not in victim and form.get("group") not in victim
