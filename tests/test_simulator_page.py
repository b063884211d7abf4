"""The simulator's web chat page in real headless Chromium, with a tiny aiogram bot."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Dispatcher, F, Router
from aiogram.filters import CommandStart
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from simulator import BotApiEmulator
from simulator.demo import setup_demo
from tests.helpers.emulator_client import polling
from tests.helpers.page import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, needs_chromium

FONT_LOADED = """async () => {
  await document.fonts.ready;
  const faces = [...document.fonts].filter(f => f.family.includes("Noto Sans Khmer"));
  return {
    check: document.fonts.check('16px "Noto Sans Khmer"', "ខ្មែរ"),
    loaded: faces.filter(f => f.status === "loaded").length,
  };
}"""

pytestmark = needs_chromium


def echo_dispatcher() -> Dispatcher:
    """A /start that offers two languages, and a callback that edits the message."""
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        buttons = [[InlineKeyboardButton(text="ខ្មែរ", callback_data="lang:km"),
                    InlineKeyboardButton(text="English", callback_data="lang:en")]]
        await message.answer("<b>Welcome to Sokh</b>\nសូមជ្រើសរើសភាសា · Choose a language",
                             reply_markup=InlineKeyboardMarkup(inline_keyboard=buttons))

    @router.callback_query(F.data.startswith("lang:"))
    async def chosen(query: CallbackQuery) -> None:
        label = "ភាសាខ្មែរ" if query.data == "lang:km" else "English"
        if isinstance(query.message, Message):
            await query.message.edit_text(f"Language: <b>{label}</b> ✓")
        await query.answer("Saved")

    dp = Dispatcher()
    dp.include_router(router)
    return dp


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    emulator = BotApiEmulator()
    emulator.scenario = setup_demo(emulator)
    async with emulator:
        yield emulator


async def test_chat_page_start_tap_and_khmer_font(emu: BotApiEmulator) -> None:
    from playwright.async_api import async_playwright, expect

    outside: list[str] = []
    async with polling(emu, echo_dispatcher()), async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 420, "height": 760})
            page.on("request", lambda r: None if r.url.startswith((emu.base_url, "data:"))
                    else outside.append(r.url))
            await page.goto(emu.base_url)
            await expect(page.locator("#tabs button")).to_have_text(
                ["Parent", "Parenting group", "Counsellors"])
            await page.fill("#input", "/start")
            await page.press("#input", "Enter")
            await expect(page.locator(".msg.out .text")).to_contain_text("/start")
            welcome = page.locator(".msg.in", has_text="Welcome to Sokh")
            await expect(welcome.locator(".inline-keyboard button")).to_have_text(
                ["ខ្មែរ", "English"])
            ARTIFACTS.mkdir(exist_ok=True)
            await page.screenshot(path=str(ARTIFACTS / "simulator-start.png"))
            khmer_button = welcome.locator("button", has_text="ខ្មែរ")
            family = await khmer_button.evaluate("b => getComputedStyle(b).fontFamily")
            await khmer_button.click()
            edited = page.locator(".msg.in", has_text="Language: ភាសាខ្មែរ ✓")
            await expect(edited.locator(".meta")).to_contain_text("edited")
            await expect(edited.locator("b")).to_have_text("ភាសាខ្មែរ")
            await expect(edited.locator(".inline-keyboard")).to_have_count(0)
            await expect(page.locator("#toast")).to_have_text("Saved")
            fonts = await page.evaluate(FONT_LOADED)
            await page.screenshot(path=str(ARTIFACTS / "simulator.png"), animations="disabled")
        finally:
            await browser.close()
    assert fonts["check"] is True and fonts["loaded"] >= 1
    assert family.startswith('"Noto Sans Khmer"')
    assert outside == []
    assert [r.method for r in emu.errors] == []
    assert emu.calls("editMessageText") and emu.calls("answerCallbackQuery")


async def test_group_and_forum_tabs(emu: BotApiEmulator) -> None:
    from playwright.async_api import async_playwright, expect

    assert emu.scenario is not None
    forum = emu.scenario.forum
    async with polling(emu, echo_dispatcher()) as bot, async_playwright() as pw:
        topic = await bot.create_forum_topic(forum.id, "Case K7Q2")
        await bot.send_message(forum.id, "New case: <i>call back</i>",
                               message_thread_id=topic.message_thread_id)
        await bot.send_contact(emu.scenario.group.id, "+855 23 1280", "Child Helpline")
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 420, "height": 760})
            await page.goto(emu.base_url + "/#group")
            await expect(page.locator("#chat-title")).to_have_text("Parenting group")
            await expect(page.locator(".contact-phone a")).to_have_attribute(
                "href", "tel:+855231280")
            await page.locator("#tabs button", has_text="Counsellors").click()
            await page.locator("#topics button", has_text="Case K7Q2").click()
            await expect(page.locator(".msg:not([hidden]) .text i")).to_have_text("call back")
            await page.fill("#input", "I will call")
            await page.press("#input", "Enter")
            await expect(page.locator(".msg.out", has_text="I will call")).to_be_visible()
            ARTIFACTS.mkdir(exist_ok=True)
            await page.screenshot(path=str(ARTIFACTS / "simulator-forum.png"))
        finally:
            await browser.close()
    sent = [m for m in emu.chat_messages(forum) if m.text == "I will call"]
    assert [(m.thread_id, m.sender) for m in sent] == [
        (topic.message_thread_id, emu.scenario.counsellor)]
    assert emu.errors == []
