"""The simulator's web page in Debian's Chromium, with the whole bot behind it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from simulator.emulator import BotApiEmulator
from simulator.screenshots import CHROMIUM as CHROMIUM  # the page tests import them here
from simulator.screenshots import CHROMIUM_ARGS as CHROMIUM_ARGS
from tests.helpers.harness import running_simulator

if TYPE_CHECKING:
    from playwright.async_api import Page

ARTIFACTS = Path(__file__).parents[1] / "artifacts"
# `make test` installs Chromium; a bare `pytest` on a machine without it skips these only.
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(),
                                    reason="Debian chromium is not installed at /usr/bin/chromium")


@asynccontextmanager
async def sokh_page(tmp_path: Path, **overrides: Any) -> AsyncIterator[tuple[BotApiEmulator, Page]]:
    """Sokh polling the simulator, and a phone-sized page open on it."""
    from playwright.async_api import async_playwright

    url = f"sqlite+aiosqlite:///{tmp_path / 'sim.db'}"
    async with running_simulator(url, **overrides) as emu, async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 420, "height": 760})
            await page.goto(emu.base_url)
            yield emu, page
        finally:
            await browser.close()


async def start_in_english(page: Page) -> None:
    """/start, choose English, and wait for the menu."""
    from playwright.async_api import expect

    await say(page, "/start")
    await page.locator(".msg.in button", has_text="English").click()
    await expect(page.locator(".msg.in", has_text="What would you like")).to_be_visible()


async def say(page: Page, text: str) -> None:
    """Type a message and send it."""
    await page.fill("#input", text)
    await page.press("#input", "Enter")


async def counsellor_answers(page: Page) -> None:
    """From the consent screen: the person writes, a counsellor takes the case and answers."""
    from playwright.async_api import expect

    await page.locator(".msg.in button", has_text="Yes, start").click()
    await expect(page.locator(".msg.in", has_text="in the queue")).to_be_visible()
    await say(page, "I need to talk about home")
    await page.locator("#tabs button", has_text="Counsellors").click()
    await page.locator("#topics button", has_text="Case").first.click()
    await page.locator(".msg.in button", has_text="Take this case").click()
    await expect(page.locator(".msg", has_text="I need to talk about home")).to_be_visible()
    await say(page, "I am here. Are you safe right now?")
    await page.get_by_role("tab", name="Parent", exact=True).click()
    await expect(page.locator(".msg.in", has_text="Are you safe right now?")).to_be_visible()
