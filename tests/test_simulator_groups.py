"""Issue 6 done: in the simulator page a trainer runs a weekly series from schedule to report."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.runtime.app import Application
from bot.runtime.clock import utc_now
from bot.runtime.reports import as_csv, session_report
from bot.storage.database import create_engine
from simulator.demo import setup_demo
from simulator.emulator import BotApiEmulator
from tests.helpers.harness import TOKEN, settings_for
from tests.helpers.page import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, needs_chromium
from tests.test_sender import ZONE

if TYPE_CHECKING:
    from playwright.async_api import Page

pytestmark = needs_chromium


@dataclass
class ShiftedClock:
    """Real time moved by an offset: the page and the sender keep flowing, the test jumps."""

    offset: timedelta = timedelta()

    def __call__(self) -> datetime:
        return utc_now() + self.offset

    def jump(self, day: int, hour: int) -> None:
        """Go to a local time in December 2026."""
        self.offset = datetime(2026, 12, day, hour, tzinfo=ZONE) - utc_now()


@asynccontextmanager
async def simulator(url: str, clock: ShiftedClock) -> AsyncIterator[tuple[BotApiEmulator,
                                                                          Application]]:
    """The demo emulator and the whole bot (with its in-process outbox sender) on `clock`."""
    emu = BotApiEmulator(token=TOKEN)
    emu.scenario = setup_demo(emu)
    async with emu:
        app = Application(settings_for(emu, url), clock)
        await app.prepare()
        serving = asyncio.create_task(app.serve(handle_signals=False))
        try:
            yield emu, app
        finally:
            await app.stop()
            with suppress(asyncio.CancelledError):
                await asyncio.wait_for(serving, 30)


async def say(page: Page, text: str) -> None:
    """Type a message in the composer and send it."""
    await page.fill("#input", text)
    await page.press("#input", "Enter")


async def schedule_series(page: Page) -> None:
    """The trainer fills in /session in the group, answering each question in reply."""
    from playwright.async_api import expect

    bot = page.locator(".msg.in")
    await say(page, "/session")
    await expect(page.locator("#reply-bar")).to_be_visible()  # ForceReply opens a reply
    await say(page, "Kind words")
    await bot.filter(has_text="Which parenting topic?").locator("button").first.click()
    await bot.get_by_role("button", name="2", exact=True).click()  # the month calendar
    await expect(bot.filter(has_text="What time")).to_be_visible()
    await expect(page.locator("#reply-bar")).to_be_visible()
    await say(page, "18:00")
    await expect(bot.filter(has_text="Where?")).to_be_visible()
    await say(page, "Pagoda hall")
    await bot.filter(has_text="map pin").dblclick()  # reply to it, then share a location
    await page.click("#attach-button")
    await page.locator("#attach-menu button", has_text="Location").click()
    await bot.get_by_role("button", name="4 weeks", exact=True).click()
    await bot.locator("button", has_text="24 h and 1 h before").click()
    await expect(bot.filter(has_text="4 weekly sessions scheduled")).to_be_visible()


async def test_a_trainer_runs_a_weekly_series_in_the_group_view(tmp_path: Path) -> None:
    from playwright.async_api import async_playwright, expect

    url = f"sqlite+aiosqlite:///{tmp_path / 'sim.db'}"
    clock = ShiftedClock()
    clock.jump(1, 12)
    async with simulator(url, clock) as (emu, app), async_playwright() as pw:
        reminders = app.proactive.reminders
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 420, "height": 760})
            bot = page.locator(".msg.in")
            await page.goto(emu.base_url + "/#parent")
            await page.select_option("#user-select", label="Sophea")  # her private chat
            await say(page, "/start")
            await bot.locator("button", has_text="English").click()
            await page.get_by_role("tab", name="Parenting group").click()
            await say(page, "/setup")
            await bot.locator("button", has_text="English").click()
            await expect(bot.filter(has_text="/trainer")).to_be_visible()
            await schedule_series(page)

            clock.jump(1, 18)  # 24 h before the first date
            await reminders.enqueue_due()
            reminder = bot.filter(has_text="Reminder: Kind words")
            await expect(reminder).to_contain_text("Coming: 0")
            await expect(page.locator(".msg.in .location-label")).to_have_text(
                "Kind words, Pagoda hall", timeout=10_000)  # the pin, a group slot later
            await page.select_option("#user-select", label="Dara")
            await reminder.locator("button", has_text="I'll come").click()
            await expect(reminder).to_contain_text("Coming: 1 · ❌ Can't come: 0")
            ARTIFACTS.mkdir(exist_ok=True)
            await page.screenshot(path=str(ARTIFACTS / "simulator-group-reminder.png"))

            clock.jump(2, 20)  # two hours after the start: tip and attendance prompt
            await reminders.enqueue_due()
            await expect(bot.filter(has_text="After today's session")).to_be_visible()
            await page.get_by_role("tab", name="Parent", exact=True).click()
            await bot.locator("button", has_text="Record attendance").click()
            await expect(bot.filter(has_text="How many came?")).to_be_visible()
            await say(page, "12 7 3 1 1")
            await expect(bot.filter(has_text="12 came")).to_be_visible()
            await page.screenshot(path=str(ARTIFACTS / "simulator-trainer.png"))
        finally:
            await browser.close()
    assert emu.errors == [], [(r.method, r.description) for r in emu.errors]
    assert await report(url) == [("Parenting group", "4", "1", "1", "12", "7", "3", "1", "1")]


async def report(url: str) -> list[tuple[str, ...]]:
    """The `report sessions` CSV for December (the command itself: test_reports.py)."""
    engine = create_engine(url)
    try:
        lines = await session_report(engine, date(2026, 12, 1), date(2026, 12, 31), ZONE)
    finally:
        await engine.dispose()
    columns = ("group", "sessions", "held", "rsvp_coming", "attended", "women", "men", "girls",
               "boys")
    return [tuple(row[c] for c in columns)
            for row in csv.DictReader(io.StringIO(as_csv(lines)))]
