"""In the simulator page: after a crisis and a counsellor talk, one tap leaves only the menu."""

from __future__ import annotations

from pathlib import Path

from simulator import DEMO_COUNSELLOR_CHAT_ID
from tests.helpers.page import (
    ARTIFACTS,
    counsellor_answers,
    needs_chromium,
    say,
    sokh_page,
    start_in_english,
)

pytestmark = needs_chromium


async def test_one_tap_hides_a_crisis_and_counsellor_conversation(tmp_path: Path) -> None:
    from playwright.async_api import expect

    async with sokh_page(tmp_path, counsellor_chat_id=DEMO_COUNSELLOR_CHAT_ID,
                         counsellor_language="en") as (emu, page):
        await start_in_english(page)
        await say(page, "my stepfather hurts me")
        crisis = page.locator(".msg.in", has_text="You are not alone")
        await crisis.locator("button", has_text="Talk to a counsellor").click()
        await counsellor_answers(page)
        assert await page.locator(".msg").count() > 4
        await page.locator(".msg.in", has_text="in the queue").locator(
            "button", has_text="Hide chat").click()
        await expect(page.locator(".msg")).to_have_count(1)
        await expect(page.locator(".msg.in")).to_contain_text("What would you like to do?")
        await expect(page.locator("#messages")).not_to_contain_text("safe right now")
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "simulator-quick-exit.png"))
    topic = [m.text or "" for m in emu.chat_messages(emu.scenario.forum)]
    assert any("cleared their screen" in text for text in topic)
    assert emu.errors == []
