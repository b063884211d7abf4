"""Bad input gets a short kind reply (or silence where right) and never breaks the bot."""

# Fed in-process; the flood limit, which needs real concurrency, is in test_e2e_bad_input.py.

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.helpers.dialog_client import DialogClient

FREE_TEXT = "could not find an answer"  # typed text no content matches (dialogs/search.py)


@pytest.mark.parametrize("kind", ["photo", "document"])
async def test_media_gets_a_kind_reply_with_the_menu(dialog: DialogClient, kind: str) -> None:
    dara = dialog.emu.add_user(language_code="en")
    reply = await dialog.act(dialog.chat(dara), lambda: getattr(dialog.emu, f"send_{kind}")(dara))
    assert "can't open stickers, photos" in reply.text
    assert "🆘 Get help now" in dialog.buttons(reply)


@pytest.mark.parametrize(("kind", "said"), [("voice", "cannot listen to voice messages"),
                                            ("sticker", "cannot read stickers")])
async def test_voice_and_stickers_get_an_honest_reply_and_people(
    dialog: DialogClient, kind: str, said: str
) -> None:
    dara = dialog.emu.add_user(language_code="en")
    reply = await dialog.act(dialog.chat(dara), lambda: getattr(dialog.emu, f"send_{kind}")(dara))
    assert said in reply.text
    assert {"🆘 Get help now", "💬 Talk to a counsellor"} <= set(dialog.buttons(reply))


async def test_location_is_not_wanted(dialog: DialogClient) -> None:
    dara = dialog.emu.add_user(language_code="en")
    reply = await dialog.act(dialog.chat(dara), lambda: dialog.emu.send_location(dara))
    assert "don't need your location" in reply.text


@pytest.mark.parametrize("text", ["x" * 10_000, "<b>&", "&amp; <i>not closed", "   ", "ក" * 4096])
async def test_odd_text_is_answered_within_telegram_limits(dialog: DialogClient,
                                                           text: str) -> None:
    dara = dialog.emu.add_user(language_code="en")
    reply = await dialog.say(dara, text)
    assert FREE_TEXT in reply.text


async def test_unknown_command(dialog: DialogClient) -> None:
    dara = dialog.emu.add_user(language_code="en")
    reply = await dialog.say(dara, "/launchrockets now")
    assert "don't know that command" in reply.text


@pytest.mark.parametrize("data", [
    "garbage", "t:parenting:no-such-topic:0", "t:parenting:one-on-one:999",
    "m:nowhere", "l:fr", "c:no-such-service", "x" * 64, "t:services:x:0",
])
async def test_stale_or_forged_buttons_return_to_the_menu(dialog: DialogClient,
                                                          data: str) -> None:
    dara = dialog.emu.add_user(language_code="en")
    menu = await dialog.say(dara, "/menu")
    query = await dialog.click_raw(dara, menu.message_id, data)
    answer = dialog.emu.callback_answer(query)
    assert answer is not None and answer.get("text"), "the spinner stops with a short note"
    screen = dialog.emu.chat_messages(dialog.chat(dara))[-1]
    assert screen.message_id == menu.message_id and dialog.buttons(screen)


async def test_button_on_a_deleted_message_sends_a_new_one(dialog: DialogClient) -> None:
    dara = dialog.emu.add_user(language_code="en")
    await dialog.say(dara, "/menu")
    chat = dialog.chat(dara)
    fresh = await dialog.act(chat, lambda: dialog.emu.click_raw(dara, 987654, "m:help"))
    assert "1280" in fresh.text


async def test_tapping_the_current_screen_again_is_not_an_error(dialog: DialogClient) -> None:
    dara = dialog.emu.add_user(language_code="en")
    menu = await dialog.say(dara, "/menu")
    query = await dialog.click_raw(dara, menu.message_id, "m:home")
    assert dialog.emu.callback_answer(query) is not None


async def test_edited_message_asks_to_send_again(dialog: DialogClient) -> None:
    dara = dialog.emu.add_user(language_code="en")
    await dialog.say(dara, "hello")
    mine = next(m for m in dialog.emu.chat_messages(dialog.chat(dara)) if not m.from_bot)
    chat = dialog.chat(dara)
    reply = await dialog.act(chat, lambda: dialog.emu.edit_text(dara, mine, "hello again"))
    assert "only read new messages" in reply.text


async def test_channel_posts_and_group_chatter_get_silence(dialog: DialogClient) -> None:
    dara = dialog.emu.add_user(language_code="en")
    group = dialog.emu.add_group("Parents of Kampot", members=[dara], admins=[dara])
    before = len(dialog.session.calls)
    dialog.emu.channel_post("news")
    dialog.emu.send_text(dara, "see you all tomorrow", chat=group)
    await dialog.feed()
    assert dialog.methods()[before:] == []


async def test_inline_query_points_to_the_private_chat(dialog: DialogClient) -> None:
    dara = dialog.emu.add_user(language_code="en")
    dialog.emu.inline_query(dara, "help")
    await dialog.feed()
    [answer] = dialog.calls("answerInlineQuery")
    assert answer.params["button"]["start_parameter"] == "inline"


async def test_blocking_the_bot_is_noted_and_nothing_breaks(dialog: DialogClient) -> None:
    dara = dialog.emu.add_user(language_code="en")
    await dialog.say(dara, "/start")
    dialog.emu.block(dara)
    await dialog.feed()
    async with dialog.services.engine.connect() as conn:
        blocked = (await conn.execute(text("SELECT blocked_at FROM people"))).scalar_one()
    assert blocked is not None


async def test_text_not_understood_gets_a_line_and_menu_button_not_the_menu(
    dialog: DialogClient,
) -> None:
    dara = dialog.emu.add_user(language_code="en")
    for said in ("qwzx", "zzkq plf", "/launchrockets"):
        reply = await dialog.say(dara, said)
        assert "What would you like to do?" not in reply.text, "no whole menu each time"
        assert dialog.buttons(reply)[-1] == "☰ Menu" and len(dialog.buttons(reply)) <= 2
    menu = await dialog.tap(dara, reply, "☰ Menu")
    assert "What would you like to do?" in menu.text and menu.message_id == reply.message_id
