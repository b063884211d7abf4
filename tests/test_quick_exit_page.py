"""In the simulator page: after a crisis and a counsellor talk, one tap leaves only the menu."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.simulator import DEMO_COUNSELLOR_CHAT_ID
from tests.helpers.harness import running_simulator
from tests.test_simulator_page import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="Debian chromium is not installed at /usr/bin/chromium")


async def test_one_tap_hides_a_crisis_and_counsellor_conversation(tmp_path: Path) -> None:
    from playwright.async_api import async_playwright, expect

    url = f"sqlite+aiosqlite:///{tmp_path / 'sim.db'}"
    async with running_simulator(url, counsellor_chat_id=DEMO_COUNSELLOR_CHAT_ID,
                                 counsellor_language="en") as emu, async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 420, "height": 760})
            await page.goto(emu.base_url)
            await page.fill("#input", "/start")
            await page.press("#input", "Enter")
            await page.locator(".msg.in button", has_text="English").click()
            await expect(page.locator(".msg.in", has_text="What would you like")
                         ).to_be_visible()
            await page.fill("#input", "my stepfather hurts me")
            await page.press("#input", "Enter")
            crisis = page.locator(".msg.in", has_text="You are not alone")
            await crisis.locator("button", has_text="Talk to a counsellor").click()
            await page.locator(".msg.in button", has_text="Yes, start").click()
            await expect(page.locator(".msg.in", has_text="in the queue")).to_be_visible()
            await page.fill("#input", "I need to talk about home")
            await page.press("#input", "Enter")
            await page.locator("#tabs button", has_text="Counsellors").click()
            await page.locator("#topics button", has_text="Case").first.click()
            await page.locator(".msg.in button", has_text="Take this case").click()
            await page.fill("#input", "I am here. Are you safe right now?")
            await page.press("#input", "Enter")
            await page.get_by_role("tab", name="Parent", exact=True).click()
            await expect(page.locator(".msg.in", has_text="Are you safe right now?")
                         ).to_be_visible()
            assert await page.locator(".msg").count() > 4
            await page.locator(".msg.in", has_text="in the queue").locator(
                "button", has_text="Hide chat").click()
            await expect(page.locator(".msg")).to_have_count(1)
            await expect(page.locator(".msg.in")).to_contain_text("What would you like to do?")
            await expect(page.locator("#messages")).not_to_contain_text("safe right now")
            ARTIFACTS.mkdir(exist_ok=True)
            await page.screenshot(path=str(ARTIFACTS / "simulator-quick-exit.png"))
        finally:
            await browser.close()
    topic = [m.text or "" for m in emu.chat_messages(emu.scenario.forum)]
    assert any("cleared their screen" in text for text in topic)
    assert emu.errors == []
