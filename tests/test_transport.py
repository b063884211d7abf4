"""The bot's JSON session sends what aiogram's own form builder would, over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, InputPollOption

from bot.runtime.transport import create_bot
from simulator import BotApiEmulator, SimChat
from tests.helpers.harness import TOKEN, settings_for


@pytest.fixture
async def sokh_bot() -> AsyncIterator[tuple[BotApiEmulator, Bot]]:
    """The bot's own Bot and session, speaking to the emulator."""
    async with BotApiEmulator(token=TOKEN) as emu:
        bot = create_bot(settings_for(emu, "sqlite+aiosqlite://"))
        try:
            yield emu, bot
        finally:
            await bot.session.close()


def _person_wrote_first(emu: BotApiEmulator) -> SimChat:
    """A private chat the bot may send into: a person writes first, bots cannot."""
    user = emu.add_user("Dara", None, "en")
    emu.send_text(user, "/start")
    return emu.private_chat(user)


async def test_unset_fields_stay_out_and_set_ones_keep_their_value(
    sokh_bot: tuple[BotApiEmulator, Bot],
) -> None:
    emu, bot = sokh_bot
    chat = _person_wrote_first(emu)
    markup = InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text="Menu", callback_data="m:menu"),
        InlineKeyboardButton(text="Site", url="https://example.org"),
    ]])
    await bot.send_message(chat.id, "<b>Hi</b>", reply_markup=markup)
    await bot.send_poll(chat.id, "Which?", [InputPollOption(text="a"), InputPollOption(text="b")],
                        type="quiz", correct_option_id=0, is_anonymous=False)

    message = emu.calls("sendMessage")[-1].params
    assert message == {
        "chat_id": chat.id, "text": "<b>Hi</b>", "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": True}, "disable_web_page_preview": True,
        "reply_markup": {"inline_keyboard": [[
            {"text": "Menu", "callback_data": "m:menu"},
            {"text": "Site", "url": "https://example.org"},
        ]]},
    }
    poll = emu.calls("sendPoll")[-1].params
    # Zero and False are values, not absences: only None and "" are left out.
    assert poll["correct_option_id"] == 0
    assert poll["is_anonymous"] is False
    # Defaults reach nested objects too: the bot's HTML parse mode.
    assert poll["options"] == [{"text": "a", "text_parse_mode": "HTML"},
                               {"text": "b", "text_parse_mode": "HTML"}]
    assert "explanation" not in poll


async def test_a_keyboard_sent_again_or_changed_shows_what_it_holds(
    sokh_bot: tuple[BotApiEmulator, Bot],
) -> None:
    # The session keeps each keyboard's JSON form by object: a repeat must match, and a new
    # keyboard (even one made from the last, or in a freed object's place) must not.
    emu, bot = sokh_bot
    chat = _person_wrote_first(emu)
    menu = InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text="Menu", callback_data="m:menu")]])
    await bot.send_message(chat.id, "one", reply_markup=menu)
    await bot.send_message(chat.id, "two", reply_markup=menu)
    for n in range(3):
        changed = InlineKeyboardMarkup(inline_keyboard=[[
            InlineKeyboardButton(text=f"Rated {n}", callback_data=f"r:{n}")]])
        await bot.send_message(chat.id, f"rated {n}", reply_markup=changed)
        del changed

    sent = [call.params["reply_markup"]["inline_keyboard"] for call in emu.calls("sendMessage")]
    assert sent[:2] == [[[{"text": "Menu", "callback_data": "m:menu"}]]] * 2
    assert sent[2:] == [[[{"text": f"Rated {n}", "callback_data": f"r:{n}"}]] for n in range(3)]
