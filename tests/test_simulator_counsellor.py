"""In the simulator page: a person reaches a counsellor and back, anonymously."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.simulator import DEMO_COUNSELLOR_CHAT_ID
from tests.helpers.harness import running_simulator
from tests.test_simulator_page import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="Debian chromium is not installed at /usr/bin/chromium")


async def test_person_and_counsellor_talk_through_the_page(tmp_path: Path) -> None:
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
            await page.fill("#input", "/counsellor")
            await page.press("#input", "Enter")
            await page.locator(".msg.in button", has_text="Yes, start").click()
            await expect(page.locator(".msg.in", has_text="in the queue")).to_be_visible()
            await page.fill("#input", "I need to talk about home")
            await page.press("#input", "Enter")
            await page.locator("#tabs button", has_text="Counsellors").click()
            await page.locator("#topics button", has_text="Case").first.click()
            await page.locator(".msg.in button", has_text="Take this case").click()
            await expect(page.locator(".msg", has_text="I need to talk about home")
                         ).to_be_visible()
            await page.fill("#input", "I am here. Are you safe right now?")
            await page.press("#input", "Enter")
            await page.get_by_role("tab", name="Parent", exact=True).click()
            reply = page.locator(".msg.in", has_text="Are you safe right now?")
            await expect(reply).to_contain_text("Counsellor:")
            ARTIFACTS.mkdir(exist_ok=True)
            await page.screenshot(path=str(ARTIFACTS / "simulator-counsellor.png"))
        finally:
            await browser.close()
    topic_texts = [m.text or "" for m in emu.chat_messages(emu.scenario.forum)]
    assert not any("Dara" in text for text in topic_texts), "the counsellor never sees a name"
    assert not emu.calls("forwardMessage")
    assert emu.errors == []
