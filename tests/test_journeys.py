"""Journeys from /start to a goal, in taps, held under the bounds docs/flows.md justifies.

Each person is new (the language choice counts as a tap) and taps buttons by the label the
locale gives in their language, so both languages walk the same path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.content.i18n import Translator
from dialogs.callbacks import ChildAge, Concern
from dialogs.parents import tips_for
from simulator.state import SimMessage, SimUser
from tests.helpers.desk import desk_dialog, rows
from tests.helpers.dialog_client import DialogClient

# The bounds, with their reasons in docs/flows.md ("Journeys in taps").
PARENT_TAPS = 5  # language, parenting, by worry, crying, 3–5 years
MIGRANT_TAPS = 4  # language, safe migration, Thailand, the 1300 call button
COUNSELLOR_TAPS = 3  # language, talk to a counsellor, yes, start
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
