"""The dialog client itself: it records calls, refuses what Telegram refuses, taps by label."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiogram.exceptions import TelegramBadRequest

from tests.helpers.dialog_client import DialogClient, dialog_client


async def test_every_call_is_recorded_with_json_parameters(dialog: DialogClient) -> None:
    dara = dialog.emu.add_user(language_code="en")
    choice = await dialog.say(dara, "/start")
    [sent] = dialog.calls("sendMessage")
    assert sent.params["chat_id"] == dara.id and sent.params["parse_mode"] == "HTML"
    labels = [b["text"] for row in sent.params["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == dialog.buttons(choice) == ["ខ្មែរ", "English"]
    await dialog.tap(dara, choice, "English")
    assert dialog.methods()[-2:] == ["editMessageText", "answerCallbackQuery"]
    assert dialog.texts(dara) == [dialog.last(dara).text]


async def test_a_request_telegram_refuses_raises_as_over_http(tmp_path: Path) -> None:
    async with dialog_client(tmp_path) as client:
        dara = client.emu.add_user(language_code="en")
        menu = await client.say(dara, "/menu")
        with pytest.raises(TelegramBadRequest, match="message is not modified"):
            await client.bot.edit_message_text(
                text=menu.text, chat_id=dara.id, message_id=menu.message_id,
                reply_markup=client.calls("sendMessage")[-1].params["reply_markup"])
        assert [r.method for r in client.emu.errors] == ["editMessageText"]


async def test_a_missing_label_or_a_silent_bot_fails_the_test(dialog: DialogClient) -> None:
    dara = dialog.emu.add_user(language_code="en")
    menu = await dialog.say(dara, "/menu")
    with pytest.raises(ValueError, match="no button"):
        await dialog.tap(dara, menu, "No such button")
    group = dialog.emu.add_group("Parents", members=[dara])
    with pytest.raises(AssertionError, match="did not answer"):
        await dialog.act(group, lambda: dialog.emu.send_text(dara, "hello all", chat=group),
                         timeout=0.05)
