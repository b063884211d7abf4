"""`make screenshots`: each journey in the simulator page, in Khmer and English, as PNGs.

    python -m simulator.screenshots [journey ...]    # all four when none is named

Each journey runs against a fresh emulator and the whole bot on a throw-away SQLite file, at
a fixed moment (Tuesday 1 December 2026, 10:00 in Phnom Penh: counsellors on duty), in
Debian's Chromium at a phone's size, and the chat is saved as docs/screens/<journey>-<lang>.png.
The times under messages come from the same fixed moment, so a rerun draws the same pictures
unless the bot's words or the page changed.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.content.i18n import Translator
from bot.content.store import Content
from bot.runtime.app import Application
from bot.runtime.settings import Settings
from bot.storage import cases
from simulator.demo import setup_demo
from simulator.emulator import BotApiEmulator
from simulator.journeys import JOURNEYS, Journey, by_name
from simulator.run import SIMULATOR_TOKEN, simulator_settings

if TYPE_CHECKING:
    from playwright.async_api import Browser, FloatRect, Locator, Page, ViewportSize

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "SCREENS", "SceneClock", "Stage", "main", "shoot",
           "staged"]

ROOT = Path(__file__).resolve().parent.parent
SCREENS = ROOT / "docs" / "screens"
# Debian's Chromium (`make system-deps`), as the page tests drive it too.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ZONE = ZoneInfo("Asia/Phnom_Penh")
SCENE = datetime(2026, 12, 1, 10, 0, tzinfo=ZONE)
PHONE: ViewportSize = {"width": 390, "height": 844}
LANGUAGES = ("km", "en")
WAIT_MS = 15_000  # a busy shared machine: the bot may take seconds to answer
CHAT_AREA = """() => {
  const top = document.querySelector(".chat-header").getBoundingClientRect().top;
  const box = document.querySelector("#messages").getBoundingClientRect();
  const shown = [...document.querySelectorAll("#messages > :not([hidden])")]
    .map(m => m.getBoundingClientRect().bottom);
  return {top, bottom: Math.min(box.bottom, Math.max(top + 200, ...shown) + 12)};
}"""
# The simulator's own controls (who is writing, its menu, toasts): not what people see.
HIDDEN = ".as-user, #menu-button, #toast { display: none !important; }"
ALIAS = "K7Q2"  # the case's alias is random per case; one fixed alias keeps pictures stable


class SceneClock:
    """A fixed moment for the pictures.

    The bot's clock runs on from it (its timers and pacing need time to pass); the emulator
    stamps every message with the moment itself, so the page shows the same times each run.
    """

    def __init__(self, at: datetime) -> None:
        self.at = at
        self._since = time.monotonic()

    def jump(self, at: datetime) -> None:
        """Go to another moment of the story (a reminder the next day)."""
        self.at, self._since = at, time.monotonic()

    def __call__(self) -> datetime:
        return self.at + timedelta(seconds=time.monotonic() - self._since)

    def shown(self) -> float:
        """The moment as Telegram's message date."""
        return self.at.timestamp()


@dataclass
class Stage:
    """The page, the bot behind it, and the person's language: what a journey acts on."""

    page: Page
    app: Application
    scene: SceneClock
    t: Translator  # the person's language, which the group and the counsellors speak too
    name: str = "journey"
    out: Path | None = None  # where snap() saves pictures; None walks without taking any
    saved: list[Path] = field(default_factory=list)

    @property
    def content(self) -> Content:
        """The content the running bot serves."""
        return self.app.services.content.current

    def _bot(self) -> Locator:
        return self.page.locator(".msg.in:not([hidden])")

    async def start(self) -> None:
        """/start and the person's language (the first screen of every private journey)."""
        await self.say("/start")
        await self.tap(self.t(f"common-language-name-{self.t.language}"))
        await self.see(self.t("menu-title"))

    async def say(self, text: str) -> None:
        """Type a message (as a reply, when the bot asked for one) and send it."""
        await self.page.fill("#input", text)
        await self.page.press("#input", "Enter")
        await self.page.locator(".msg.out:not([hidden])", has_text=text).last.wait_for(
            timeout=WAIT_MS)

    async def tap(self, label: str) -> None:
        """Tap the newest button labelled exactly `label`."""
        button = self._bot().get_by_role("button", name=label, exact=True).last
        await button.click(timeout=WAIT_MS)

    async def tap_containing(self, text: str) -> None:
        """Tap the newest button whose label contains `text` (a phone number, a date)."""
        await self._bot().locator("button", has_text=text).last.click(timeout=WAIT_MS)

    async def tap_first(self) -> None:
        """Tap the first button of the newest message that has buttons."""
        keyboard = self._bot().filter(has=self.page.locator("button")).last
        await keyboard.locator("button").first.click(timeout=WAIT_MS)

    async def see(self, text: str) -> None:
        """Wait until a message of the bot shows `text`."""
        from playwright.async_api import expect

        await expect(self._bot().filter(has_text=text).last).to_be_visible(timeout=WAIT_MS)

    async def see_contact(self, phone: str) -> None:
        """Wait until the bot's contact card for `phone` is shown."""
        await self.page.locator(f'.msg.in a[href="tel:{phone}"]').last.wait_for(
            timeout=WAIT_MS)

    async def newest_text(self) -> str:
        """The text of the bot's newest message ("" before the first)."""
        newest = self._bot().last
        return await newest.inner_text() if await newest.count() else ""

    async def next_question(self, previous: str, known: Iterable[str]) -> str:
        """The bot's newest message once it is new and asks something: it shows a `known`
        text or has buttons (a line such as "Day: 02/12" in between is not a question)."""
        known = tuple(known)
        deadline = time.monotonic() + WAIT_MS / 1000
        while time.monotonic() < deadline:
            newest = self._bot().last
            text = await newest.inner_text()
            if text != previous and (any(k in text for k in known)
                                     or await newest.locator("button").count()):
                return text
            await asyncio.sleep(0.1)
        raise TimeoutError(f"the bot asked nothing new after: {previous!r}")

    async def open_tab(self, label: str) -> None:
        """Switch the page to a chat of the demo (Parent, Parenting group, Counsellors)."""
        await self.page.get_by_role("tab", name=label, exact=True).click()

    async def open_topic(self, prefix: str) -> None:
        """Open the first forum topic whose name starts with `prefix`."""
        await self.page.locator("#topics button", has_text=prefix).first.click()

    async def act_as(self, name: str) -> None:
        """Write and tap as another member of this chat."""
        await self.page.select_option("#user-select", label=name)

    async def snap(self, part: str = "") -> None:
        """Save the chat as <journey>[-part]-<lang>.png (when pictures are being taken)."""
        if self.out is None:
            return
        stem = "-".join(p for p in (self.name, part, self.t.language) if p)
        path = self.out / f"{stem}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        await self.page.mouse.move(0, 0)  # no button left in its hover colour
        await self.page.wait_for_timeout(300)  # the page's last poll
        await self.page.locator("#messages").evaluate("m => { m.scrollTop = m.scrollHeight; }")
        await self.page.screenshot(path=str(path), clip=await self._chat_area(),
                                   animations="disabled", caret="hide", style=HIDDEN)
        self.saved.append(path)

    async def _chat_area(self) -> FloatRect:
        """Header, topics and messages down to the last one: no tabs, composer or blank."""
        box = await self.page.evaluate(CHAT_AREA)
        return {"x": 0, "y": box["top"], "width": PHONE["width"],
                "height": box["bottom"] - box["top"]}


@contextmanager
def fixed_alias() -> Iterator[None]:
    """Every case opened meanwhile is called ALIAS (one case per journey)."""
    original = cases.new_alias
    cases.new_alias = lambda: ALIAS
    try:
        yield
    finally:
        cases.new_alias = original


@asynccontextmanager
async def staged(browser: Browser, language: str, folder: Path) -> AsyncIterator[Stage]:
    """A fresh emulator, the whole bot on a SQLite file in `folder`, and a phone page."""
    emu = BotApiEmulator(token=SIMULATOR_TOKEN)
    emu.scenario = setup_demo(emu)
    scene = SceneClock(SCENE)
    emu.clock = scene.shown
    async with emu:
        config = simulator_settings(Settings(_env_file=None), folder, emu.base_url)
        app = Application(config.model_copy(update={
            "counsellor_language": language, "flood_limit": 1000, "sokh_timezone": str(ZONE),
        }), scene)
        await app.prepare()
        serving = asyncio.create_task(app.serve(handle_signals=False))
        context = await browser.new_context(viewport=PHONE, device_scale_factor=1,
                                            timezone_id=str(ZONE), locale=language)
        try:
            await asyncio.wait_for(app.serving.wait(), 60)
            page = await context.new_page()
            await page.goto(emu.base_url + "/#parent")
            yield Stage(page, app, scene, app.services.locales.get(language))
        finally:
            await context.close()
            await app.stop()
            with suppress(asyncio.CancelledError):
                await asyncio.wait_for(serving, 30)
    if emu.errors:
        raise RuntimeError(f"the bot's requests were refused: "
                           f"{[(r.method, r.description) for r in emu.errors]}")


async def shoot(browser: Browser, journey: Journey, language: str,
                out: Path | None) -> list[Path]:
    """Walk one journey in one language; its pictures go under `out` (None: none taken)."""
    with tempfile.TemporaryDirectory(prefix="sokh-screens-") as folder, fixed_alias():
        async with staged(browser, language, Path(folder)) as stage:
            stage.name, stage.out = journey.name, out
            await journey.walk(stage)
    return stage.saved


async def shoot_all(names: list[str], out: Path = SCREENS) -> list[Path]:
    """Every named journey (all when none) in both languages."""
    from playwright.async_api import async_playwright

    journeys = [by_name(n) for n in names] if names else list(JOURNEYS)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            return [path for j in journeys for lang in LANGUAGES
                    for path in await shoot(browser, j, lang, out)]
        finally:
            await browser.close()


def main(argv: list[str] | None = None) -> int:
    """Take the pictures; print each file with its size."""
    for path in asyncio.run(shoot_all(list(sys.argv[1:] if argv is None else argv))):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
