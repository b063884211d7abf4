"""`make screenshots`: its walker still reaches the goal; README shows every picture."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

from bot.runtime.settings import REPO_ROOT
from dialogs.callbacks import ChildAge, Concern
from dialogs.parents import tips_for
from simulator.journeys import JOURNEYS, SESSION_TITLE, group_session, parent_tip
from simulator.screenshots import CHROMIUM, CHROMIUM_ARGS, LANGUAGES, PHONE, SCREENS, staged
from tests.helpers.page import needs_chromium

MAX_BYTES = 150 * 1024  # small enough for a README on a slow connection


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@needs_chromium
@pytest.mark.parametrize("language", ["km"])
async def test_the_parent_journey_walks_to_the_tip_and_pictures_it(tmp_path: Path,
                                                                   language: str) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            async with staged(browser, language, tmp_path / "db") as stage:
                stage.name, stage.out = "parent-tip", tmp_path / "screens"
                await parent_tip(stage)
                screen = await stage.page.locator(".msg.in").last.inner_text()
                tips = tips_for(stage.content, Concern.CRYING, ChildAge.SMALL)
        finally:
            await browser.close()
    assert any(item.text.get(language)[:40] in screen for _, item in tips), screen
    assert "10:00" in screen, "the fixed moment, not the machine's clock"
    [picture] = stage.saved
    assert picture.name == f"parent-tip-{language}.png"
    width, height = png_size(picture)
    assert width == PHONE["width"] and 200 <= height <= PHONE["height"]
    assert picture.stat().st_size < MAX_BYTES


@needs_chromium
async def test_the_group_journey_fills_the_session_form_and_gets_an_rsvp(tmp_path: Path) -> None:
    """The walker answers /session by its questions, so a reworked form must still finish."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            async with staged(browser, "en", tmp_path / "db") as stage:
                await group_session(stage)
                bot = stage.page.locator(".msg.in")
                saved = await bot.filter(has_text=stage.t("sessions-saved", count=4)).inner_text()
                reminder = await bot.last.inner_text()
        finally:
            await browser.close()
    assert saved.count(SESSION_TITLE["en"]) == 4, saved
    assert "Reminder: Kind words" in reminder and "Coming: 1" in reminder, reminder
    assert "02/12 18:00" in reminder, "the session the day after the fixed moment"
    assert stage.saved == [], "no picture is taken when none was asked for"


def test_every_journey_is_pictured_small_and_shown_in_the_readme() -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    shown = set(re.findall(r"docs/screens/([\w-]+\.png)", readme))
    pictures = {p.name for p in SCREENS.glob("*.png")}
    expected = {f"{j.name}-{lang}.png" for j in JOURNEYS for lang in LANGUAGES}
    assert expected <= pictures, f"run `make screenshots`: missing {expected - pictures}"
    assert shown == pictures, "README's 'See it' shows exactly the pictures in docs/screens/"
    large = [p.name for p in SCREENS.glob("*.png") if p.stat().st_size >= MAX_BYTES]
    assert not large, large
    assert "screens/" in (REPO_ROOT / "docs" / "flows.md").read_text()
