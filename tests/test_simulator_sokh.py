"""`make run` without a token, as a person meets it: the real Sokh in the web chat page."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.harness import running_simulator
from tests.helpers.page import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, needs_chromium

pytestmark = needs_chromium


async def test_a_parent_chats_with_sokh_in_both_languages(tmp_path: Path) -> None:
    from playwright.async_api import async_playwright, expect

    url = f"sqlite+aiosqlite:///{tmp_path / 'sim.db'}"
    async with running_simulator(url) as emu, async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 420, "height": 760})
            await page.goto(emu.base_url)
            await page.fill("#input", "/start")
            await page.press("#input", "Enter")
            choice = page.locator(".msg.in", has_text="Choose your language")
            await choice.locator("button", has_text="English").click()
            menu = page.locator(".msg.in", has_text="What would you like to do?")
            await menu.locator("button", has_text="Get help now").click()
            await expect(page.locator(".msg.in", has_text="1280")).to_be_visible()
            await page.locator(".msg.in button", has_text="Menu").click()
            await page.locator(".msg.in button", has_text="Settings").click()
            await page.locator(".msg.in button", has_text="Language").click()
            await page.locator(".msg.in button", has_text="ខ្មែរ").click()
            await expect(page.locator(".msg.in", has_text="តើអ្នកចង់ធ្វើអ្វី")).to_be_visible()
            ARTIFACTS.mkdir(exist_ok=True)
            await page.screenshot(path=str(ARTIFACTS / "simulator-sokh.png"))
            bubbles = await page.locator(".msg.in").count()
        finally:
            await browser.close()
    assert bubbles == 1, "every screen edited the one reply in place"
    assert emu.errors == []
