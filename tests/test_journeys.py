"""Journeys from /start to a goal, in taps, held under the bounds docs/flows.md justifies.

Each person is new (the language choice counts as a tap) and taps buttons by the label the
locale gives in their language, so both languages walk the same path. A trainer's journey
goes from /session in a group to a weekly series with reminders, counting taps and typed
answers apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest

from bot.content.i18n import Translator
from dialogs.callbacks import ChildAge, Concern
from dialogs.groups.session_form import DEFAULT_WEEKS
from dialogs.parents import tips_for
from simulator.state import SimMessage, SimUser
from tests.helpers.desk import desk_dialog, rows
from tests.helpers.dialog_client import DialogClient
from tests.helpers.groups import GroupWorld, group_dialog, query
from tests.test_sender import ZONE

# The bounds, with their reasons in docs/flows.md ("Journeys in taps").
PARENT_TAPS = 5  # language, parenting, by worry, crying, 3–5 years
MIGRANT_TAPS = 4  # language, safe migration, Thailand, the 1300 call button
COUNSELLOR_TAPS = 3  # language, talk to a counsellor, yes, start
# A trainer's first session: title, time and place typed; topic, day, no pin, the defaults.
FIRST_SESSION = (4, 3)  # (taps, typed)
# Every later one: like last time, next week's day and hour, the defaults.
NEXT_SESSION = (3, 0)
LANGUAGES = ("km", "en")


@dataclass
class Journey:
    """A new person's way through the bot, counting every tap."""

    sokh: DialogClient
    user: SimUser
    t: Translator
    screen: SimMessage | None = None
    taps: list[str] = field(default_factory=list)

    async def start(self) -> SimMessage:
        """Send /start (typed, not a tap) and pick the language: the first tap."""
        self.screen = await self.sokh.say(self.user, "/start")
        return await self.tap(self.t(f"common-language-name-{self.t.language}"))

    async def tap(self, label: str) -> SimMessage:
        """Tap a button of the current screen; the bot's answer becomes the screen."""
        assert self.screen is not None
        self.screen = await self.sokh.tap(self.user, self.screen, label)
        self.taps.append(label)
        return self.screen

    def button_with(self, text: str) -> str:
        """The label of the current screen's button that contains `text`."""
        assert self.screen is not None
        return next(b for b in self.sokh.buttons(self.screen) if text in b)


def _journey(sokh: DialogClient, user: SimUser, language: str) -> Journey:
    return Journey(sokh, user, sokh.services.locales.get(language))


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_parent_finds_a_tip_for_a_crying_three_year_old(dialog: DialogClient,
                                                                language: str) -> None:
    j = _journey(dialog, dialog.emu.add_user(language_code="en"), language)
    await j.start()
    await j.tap(j.t("menu-button-parenting"))
    await j.tap(j.t("parents-button-concerns"))
    await j.tap(j.t("parents-concern-crying"))
    tip = await j.tap(j.t("course-age-3-5"))
    fitting = [item.text.get(language) for _, item in
               tips_for(dialog.services.content.current, Concern.CRYING, ChildAge.SMALL)]
    assert any(text[:40] in tip.text for text in fitting), tip.text
    assert len(j.taps) <= PARENT_TAPS, j.taps
    assert len(dialog.texts(j.user)) == 1, "every step edited the one message in place"


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_migrant_reaches_the_thai_passport_hotline(dialog: DialogClient,
                                                           language: str) -> None:
    content = dialog.services.content.current
    thailand = content.topic("migration", "thailand")
    passport = content.topic("migration", "passport-kept")
    assert thailand is not None and passport is not None
    assert "thai-1300" in passport.services, "1300 is the line for a passport kept in Thailand"
    j = _journey(dialog, dialog.emu.add_user(language_code="km"), language)
    await j.start()
    await j.tap(j.t("menu-button-migration"))
    await j.tap(thailand.title.get(language))
    card = await j.tap(j.button_with("1300"))
    assert card.kind == "contact" and card.content["contact"]["phone_number"] == "1300"
    assert len(j.taps) <= MIGRANT_TAPS, j.taps
    assert len(dialog.texts(j.user)) == 2, "one screen edited in place, then the card"


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_person_reaches_a_counsellor(tmp_path: Path, language: str) -> None:
    async with desk_dialog(tmp_path) as d:
        assert isinstance(d.sokh, DialogClient)
        j = _journey(d.sokh, d.person, language)
        await j.start()
        await j.tap(j.t("menu-button-counsellor"))
        connected = await j.tap(j.t("counsellor-button-agree"))
        [(alias,)] = await rows(d.sokh, "SELECT alias FROM cases")
        assert alias in connected.text and d.forum.topics, "a case, waiting in the forum"
        assert len(j.taps) <= COUNSELLOR_TAPS, j.taps


@dataclass
class TrainerJourney:
    """A trainer scheduling in their group, counting taps and typed answers apart."""

    w: GroupWorld
    t: Translator
    screen: SimMessage | None = None
    taps: list[str] = field(default_factory=list)
    typed: list[str] = field(default_factory=list)

    async def session(self) -> SimMessage:
        """Send /session (the command is not counted: it is how the journey starts)."""
        self.screen = await self.w.in_group(self.w.admin, "/session")
        return self.screen

    async def tap(self, label: str, expect: str = "") -> SimMessage:
        """Tap a button of the current screen; the bot's next message becomes the screen."""
        assert self.screen is not None
        self.screen = await self.w.tap(self.w.admin, self.screen, label, expect=expect)
        self.taps.append(label)
        return self.screen

    async def type(self, text: str, expect: str = "") -> SimMessage:
        """Reply to the current screen with text, as the form's prompts ask."""
        self.screen = await self.w.in_group(self.w.admin, text, reply_to=self.screen,
                                            label=expect)
        self.typed.append(text)
        return self.screen

    def plan(self) -> str:
        """The one-tap plan's label: four weeks, reminders 24 h and 1 h before."""
        return self.t("sessions-plan-default",
                      weeks=self.t("sessions-weeks", weeks=DEFAULT_WEEKS),
                      reminders=self.t("sessions-reminders-24-1"))


def _within(j: TrainerJourney, bound: tuple[int, int]) -> bool:
    """No more taps, and no more typed answers, than the bound allows (each on its own)."""
    return len(j.taps) <= bound[0] and len(j.typed) <= bound[1]


async def _group_in(w: GroupWorld, language: str) -> None:
    """The bot joins the group and the admin chooses its language (set-up, not counted)."""
    w.group.bot_status = "left"
    emu = w.sokh.emu
    hello = await w.sokh.act(w.group, lambda: emu.add_bot_to_group(w.group, by=w.admin))
    name = w.sokh.services.locales.get(language)(f"common-language-name-{language}")
    await w.tap(w.admin, hello, name)


async def _first_session(w: GroupWorld, t: Translator) -> TrainerJourney:
    """A group's first session: nothing to copy, so the title, time and place are typed."""
    j = TrainerJourney(w, t)
    await j.session()
    topic = w.sokh.services.content.current.packs["parenting"].topics[0].title.get(t.language)
    await j.type("Kind words", expect=t("sessions-ask-topic"))
    await j.tap(topic, expect=t("sessions-ask-day"))
    await j.tap(t.number(2), expect=t("sessions-ask-time"))  # Wednesday 2 December
    await j.type("18:00", expect=t("sessions-ask-place"))
    await j.type("Pagoda hall", expect=t("sessions-ask-pin"))
    await j.tap(t("sessions-pin-skip"), expect=t("sessions-ask-repeat"))
    await j.tap(j.plan(), expect=t("sessions-saved", count=DEFAULT_WEEKS).rstrip(":"))
    return j


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_trainer_schedules_a_weekly_series_then_the_next_one_in_three_taps(
        tmp_path: Path, language: str) -> None:
    async with group_dialog(tmp_path) as w:  # noon, Tuesday 1 December
        await _group_in(w, language)
        t = w.sokh.services.locales.get(language)
        first = await _first_session(w, t)
        assert _within(first, FIRST_SESSION), (first.taps, first.typed)
        j = TrainerJourney(w, t)
        like = await j.session()
        assert t("sessions-button-like") in w.sokh.emu.buttons(like)
        days = await j.tap(t("sessions-button-like"), expect=t("sessions-ask-day"))
        after = datetime(2026, 12, 30, 18, tzinfo=ZONE)  # the week after the series' last date
        proposed = t("sessions-button-next", when=t.when(after))
        assert w.sokh.emu.buttons(days)[0] == proposed
        await j.tap(proposed, expect=t("sessions-ask-repeat"))
        saved = await j.tap(j.plan(), expect=t("sessions-saved-reminders",
                                                which=t("sessions-reminders-24-1")))
        assert _within(j, NEXT_SESSION), (j.taps, j.typed)
        assert t.day_time(datetime(2027, 1, 20, 18)) in saved.text
        if language == "km":
            assert not any(c.isascii() and c.isdigit() for c in saved.text), saved.text
        stored = await query(w, "SELECT title, place, reminders FROM group_sessions "
                                "ORDER BY starts_at")
        assert stored == [("Kind words", "Pagoda hall", "1440,60")] * 2 * DEFAULT_WEEKS
