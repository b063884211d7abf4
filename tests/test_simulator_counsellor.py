"""In the simulator page: a person reaches a counsellor and back, anonymously."""

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


async def test_person_and_counsellor_talk_through_the_page(tmp_path: Path) -> None:
    from playwright.async_api import expect

    async with sokh_page(tmp_path, counsellor_chat_id=DEMO_COUNSELLOR_CHAT_ID,
                         counsellor_language="en") as (emu, page):
        await start_in_english(page)
        await say(page, "/counsellor")
        await counsellor_answers(page)
        reply = page.locator(".msg.in", has_text="Are you safe right now?")
        await expect(reply).to_contain_text("Counsellor:")
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "simulator-counsellor.png"))
    topic_texts = [m.text or "" for m in emu.chat_messages(emu.scenario.forum)]
    assert not any("Dara" in text for text in topic_texts), "the counsellor never sees a name"
    assert not emu.calls("forwardMessage")
    assert emu.errors == []
