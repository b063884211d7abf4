"""The Bot API emulator refuses what Telegram refuses, driven by a real aiogram Bot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.filters import CommandStart
from aiogram.methods import SendMessage
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
)
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from simulator import BotApiEmulator, SimUser
from tests.helpers.emulator_client import bot_for, polling, raw_call

NOT_MODIFIED = "message is not modified"


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as emulator:
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    client = bot_for(emu)
    yield client
    await client.session.close()


@pytest.fixture
def dara(emu: BotApiEmulator) -> SimUser:
    """A user who has started the bot, so the bot may write to her."""
    user = emu.add_user("Dara", "dara", "km")
    emu.send_text(user, "/start")
    return user


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=f"b{i}", callback_data=d)]
                         for i, d in enumerate(data)])


async def test_get_me_and_send_message_are_recorded(
        emu: BotApiEmulator, bot: Bot, dara: SimUser) -> None:
    me = await bot.get_me()
    sent = await bot.send_message(dara.id, "Hello")
    assert (me.id, me.username, me.is_bot) == (123456, "sokh_bot", True)
    assert [r.method for r in emu.requests] == ["getMe", "sendMessage"]
    assert emu.requests[1].params["text"] == "Hello"
    last = emu.chat_messages(emu.private_chat(dara))[-1]
    assert (last.from_bot, last.text, last.message_id) == (True, "Hello", sent.message_id)
    assert emu.errors == []


async def test_unknown_method_wrong_token_and_missing_field(emu: BotApiEmulator) -> None:
    assert await raw_call(emu, "sendMessagez", chat_id=1, text="x") == (
        404, {"ok": False, "error_code": 404, "description": "Not Found"})
    status, body = await raw_call(emu, "getMe", token="999:WRONG")
    assert (status, body["description"]) == (401, "Unauthorized")
    status, body = await raw_call(emu, "SENDMESSAGE", text="no chat")
    assert (status, body["description"]) == (400, "Bad Request: chat_id is required")
    status, body = await raw_call(emu, "getme")
    assert status == 200 and body["result"]["username"] == "sokh_bot"
    assert len(emu.errors) == 3


async def test_bot_cannot_start_a_conversation(emu: BotApiEmulator, bot: Bot) -> None:
    stranger = emu.add_user("Nobody", None)
    with pytest.raises(TelegramForbiddenError, match="can't initiate conversation"):
        await bot.send_message(stranger.id, "hi")
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(424242, "hi")


async def test_text_length_counts_utf16_code_units(bot: Bot, dara: SimUser) -> None:
    await bot.send_message(dara.id, "a" * 4096)
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(dara.id, "a" * 4097)
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(dara.id, "😀" * 2049)  # 2049 characters, 4098 UTF-16 units
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(dara.id, "<b> </b>", parse_mode="HTML")


async def test_caption_limit(bot: Bot, dara: SimUser) -> None:
    photo = "https://example.org/p.jpg"
    with pytest.raises(TelegramBadRequest, match="message caption is too long"):
        await bot.send_photo(dara.id, photo, caption="c" * 1025)
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_photo(dara.id, "not-a-known-file-id")


@pytest.mark.parametrize("html", [
    "<b>&", "<b>bold", "a < b", "<foo>x</foo>", "<b>x</i>", "x</b>", "&nbsp;", "<span>s</span>",
])
async def test_bad_html_is_refused(bot: Bot, dara: SimUser, html: str) -> None:
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(dara.id, html, parse_mode="HTML")


async def test_good_html_becomes_entities(emu: BotApiEmulator, bot: Bot, dara: SimUser) -> None:
    html = ('<b>A &amp; B</b> <a href="https://x.org">l</a> <tg-spoiler>s</tg-spoiler> '
            '<pre><code class="language-py">x</code></pre> &#6016;&lt;')
    sent = await bot.send_message(dara.id, html, parse_mode="HTML")
    assert sent.text == "A & B l s x ក<"
    kinds = [(e.type, e.offset, e.length) for e in sent.entities or []]
    assert kinds == [("bold", 0, 5), ("text_link", 6, 1), ("spoiler", 8, 1), ("pre", 10, 1)]
    assert (sent.entities or [])[3].language == "py"
    with pytest.raises(TelegramBadRequest, match="reserved"):
        await bot.send_message(dara.id, "Hello.", parse_mode="MarkdownV2")
    assert emu.chat_messages(emu.private_chat(dara))[-1].text == "A & B l s x ក<"
    # Offsets count UTF-16 units: an emoji before a tag moves it by two.
    astral = await bot.send_message(dara.id, "😀 ក<i>x</i>&#128512;<b>y</b>", parse_mode="HTML")
    assert [(e.type, e.offset) for e in astral.entities or []] == [("italic", 4), ("bold", 7)]


async def test_callback_data_is_limited_to_64_bytes(bot: Bot, dara: SimUser) -> None:
    await bot.send_message(dara.id, "ok", reply_markup=keyboard("x" * 64))
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(dara.id, "no", reply_markup=keyboard("x" * 65))
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(dara.id, "no", reply_markup=keyboard("ខ" * 22))  # 66 bytes
    bare = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="just text")]])
    with pytest.raises(TelegramBadRequest, match="Text buttons are unallowed"):
        await bot.send_message(dara.id, "no", reply_markup=bare)
    tel = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Call",
                                                                      url="tel:1280")]])
    with pytest.raises(TelegramBadRequest, match="Unsupported URL protocol"):
        await bot.send_message(dara.id, "no", reply_markup=tel)


async def test_edits_and_not_modified(emu: BotApiEmulator, bot: Bot, dara: SimUser) -> None:
    sent = await bot.send_message(dara.id, "<b>Menu</b>", parse_mode="HTML",
                                  reply_markup=keyboard("a"))
    with pytest.raises(TelegramBadRequest, match=NOT_MODIFIED):
        await bot.edit_message_text("<b>Menu</b>", chat_id=dara.id,
                                    message_id=sent.message_id, parse_mode="HTML",
                                    reply_markup=keyboard("a"))
    await bot.edit_message_text("Menu", chat_id=dara.id, message_id=sent.message_id,
                                reply_markup=keyboard("a"))  # bold is gone: a real change
    with pytest.raises(TelegramBadRequest, match=NOT_MODIFIED):
        await bot.edit_message_reply_markup(chat_id=dara.id, message_id=sent.message_id,
                                            reply_markup=keyboard("a"))
    await bot.edit_message_reply_markup(chat_id=dara.id, message_id=sent.message_id)
    stored = emu.chat_messages(emu.private_chat(dara))[-1]
    assert (stored.text, stored.reply_markup, stored.edits) == ("Menu", None, 2)
    await bot.delete_message(dara.id, sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=dara.id, message_id=sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(dara.id, sent.message_id)


async def test_delete_messages_skips_missing(emu: BotApiEmulator, bot: Bot,
                                             dara: SimUser) -> None:
    ids = [(await bot.send_message(dara.id, f"m{i}")).message_id for i in range(3)]
    assert await bot.delete_messages(dara.id, [ids[0], ids[2], 9999])
    texts = [m.text for m in emu.chat_messages(emu.private_chat(dara))]
    assert texts == ["/start", "m1"]
    assert [m.text for m in emu.chat_messages(emu.private_chat(dara), True)][-1] == "m2"


async def test_get_updates_offsets_and_commands(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user("Sok", "sok", "en")
    emu.send_text(user, "/help me")
    emu.send_text(user, "second")
    first = await bot.get_updates(timeout=1)
    assert [u.message.text for u in first if u.message] == ["/help me", "second"]
    message = first[0].message
    assert message is not None and message.entities
    entity = message.entities[0]
    assert (entity.type, entity.offset, entity.length) == ("bot_command", 0, 5)
    assert await bot.get_updates(offset=first[-1].update_id + 1, timeout=0) == []
    waiting = asyncio.create_task(bot.get_updates(offset=first[-1].update_id + 1, timeout=5))
    await asyncio.sleep(0.1)
    emu.send_text(user, "late")
    late = await asyncio.wait_for(waiting, 3)
    assert [u.message.text for u in late if u.message] == ["late"]


async def test_webhook_push_with_secret_and_retry(emu: BotApiEmulator, bot: Bot) -> None:
    received: list[tuple[str | None, dict[str, object]]] = []
    fail = {"left": 1}

    async def hook(request: web.Request) -> web.Response:
        if fail["left"]:
            fail["left"] -= 1
            return web.Response(status=500)
        received.append((request.headers.get("X-Telegram-Bot-Api-Secret-Token"),
                         await request.json()))
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    try:
        assert await bot.set_webhook(url, secret_token="s3cret-Token_1")
        user = emu.add_user()
        emu.send_text(user, "/start")
        for _ in range(100):
            if received:
                break
            await asyncio.sleep(0.05)
        info = await bot.get_webhook_info()
        with pytest.raises(TelegramConflictError):
            await bot.get_updates()
    finally:
        await runner.cleanup()
    assert received and received[0][0] == "s3cret-Token_1"
    assert received[0][1]["message"]["text"] == "/start"  # type: ignore[index]
    assert info.url == url and info.last_error_message and "500" in info.last_error_message
    await bot.delete_webhook()
    assert await bot.get_updates(timeout=0) == []


async def test_webhook_reply_in_response_body(emu: BotApiEmulator) -> None:
    """aiogram can answer inside the webhook response (multipart); Telegram executes it."""
    router = Router()

    @router.message()
    async def pong(message: Message) -> SendMessage:
        return message.answer("pong")

    dp = Dispatcher()
    dp.include_router(router)
    client = bot_for(emu)
    app = web.Application()
    SimpleRequestHandler(dp, client, handle_in_background=False,
                         secret_token="tok").register(app, path="/wh")
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        await client.set_webhook(f"http://127.0.0.1:{runner.addresses[0][1]}/wh",
                                 secret_token="tok")
        user = emu.add_user()
        waiting = emu.wait_for_bot_message(emu.private_chat(user))
        emu.send_text(user, "ping")
        assert (await waiting).text == "pong"
    finally:
        await runner.cleanup()
        await client.session.close()
    assert emu.errors == []


async def test_upload_get_file_and_download(bot: Bot, dara: SimUser) -> None:
    sent = await bot.send_photo(dara.id, BufferedInputFile(b"\x89PNG fake", "x.png"),
                                caption="<b>c</b>", parse_mode="HTML")
    assert sent.photo and sent.caption == "c"
    stored = await bot.get_file(sent.photo[-1].file_id)
    assert stored.file_path is not None
    data = await bot.download_file(stored.file_path)
    assert data is not None and data.read() == b"\x89PNG fake"
    again = await bot.send_photo(dara.id, sent.photo[-1].file_id)
    assert again.photo and again.photo[-1].file_id == sent.photo[-1].file_id


async def test_block_gives_403_and_my_chat_member(emu: BotApiEmulator, bot: Bot,
                                                  dara: SimUser) -> None:
    await bot.get_updates()  # drain /start
    emu.block(dara)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(dara.id, "are you there?")
    updates = await bot.get_updates(allowed_updates=["message", "my_chat_member"])
    member = updates[-1].my_chat_member
    assert member is not None and member.new_chat_member.status == "kicked"


async def test_rate_limits_answer_429_with_retry_after() -> None:
    async with BotApiEmulator(enforce_limits=True) as emu:
        user = emu.add_user()
        emu.send_text(user, "/start")
        client = bot_for(emu)
        try:
            with pytest.raises(TelegramRetryAfter) as caught:
                for i in range(10):
                    await client.send_message(user.id, f"flood {i}")
        finally:
            await client.session.close()
    assert caught.value.retry_after >= 1
    assert emu.limit_violations == 1
    assert emu.errors[-1].error_code == 429
    wait = caught.value.retry_after
    assert emu.errors[-1].description == f"Too Many Requests: retry after {wait}"


async def test_callback_answer_only_once(emu: BotApiEmulator, bot: Bot, dara: SimUser) -> None:
    sent = await bot.send_message(dara.id, "Pick", reply_markup=keyboard("lang:km"))
    stored = emu.chat_messages(emu.private_chat(dara))[-1]
    assert stored.message_id == sent.message_id and emu.buttons(stored) == ["b0"]
    query_id = emu.click(dara, stored, "lang:km")
    assert await bot.answer_callback_query(query_id, text="Saved")
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(TelegramBadRequest, match="query ID is invalid"):
        await bot.answer_callback_query("forged")
    assert emu.callback_answer(query_id) == {"text": "Saved"}


async def test_forum_topics_commands_and_relay(emu: BotApiEmulator, bot: Bot,
                                               dara: SimUser) -> None:
    counsellor = emu.add_user("Vanna", "vanna", "en")
    forum = emu.add_group("Counsellors", "supergroup", is_forum=True, admins=[counsellor])
    topic = await bot.create_forum_topic(forum.id, "Case K7Q2")
    source = emu.chat_messages(emu.private_chat(dara))[-1]
    copied = await bot.copy_message(forum.id, dara.id, source.message_id,
                                    message_thread_id=topic.message_thread_id)
    relayed = forum.messages[copied.message_id]
    assert (relayed.thread_id, relayed.text, relayed.from_bot) == (
        topic.message_thread_id, "/start", True)
    assert "forward_origin" not in relayed.to_api()
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await bot.send_message(forum.id, "x", message_thread_id=999)
    await bot.close_forum_topic(forum.id, topic.message_thread_id)
    await bot.send_message(forum.id, "reply", message_thread_id=topic.message_thread_id,
                           reply_parameters=ReplyParameters(message_id=copied.message_id))
    await bot.set_my_commands([BotCommand(command="start", description="Start")])
    await bot.set_my_commands([BotCommand(command="help", description="ជំនួយ")],
                              language_code="km")
    await bot.set_my_commands([BotCommand(command="close", description="Close case")],
                              scope=BotCommandScopeChat(chat_id=forum.id))
    assert [c.command for c in await bot.get_my_commands(language_code="km")] == ["help"]
    scoped = await bot.get_my_commands(scope=BotCommandScopeChat(chat_id=forum.id))
    assert [c.command for c in scoped] == ["close"]
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Bad-Command", description="x")])
    assert emu.calls("forwardMessage") == []


async def test_privacy_mode_in_groups(emu: BotApiEmulator, bot: Bot) -> None:
    trainer = emu.add_user("Sophea", "sophea")
    group = emu.add_group("Parents", members=[trainer], bot_admin=False)
    assert "update_id" not in emu.send_text(trainer, "just chatting", group)
    assert "update_id" not in emu.send_text(trainer, "/start@other_bot", group)
    emu.send_text(trainer, "/start@sokh_bot", group)
    emu.send_text(trainer, "hi @sokh_bot", group)
    texts = [u.message.text for u in await bot.get_updates() if u.message]
    assert texts == ["/start@sokh_bot", "hi @sokh_bot"]
    assert [m.text for m in emu.chat_messages(group)][:1] == ["just chatting"]


async def test_contact_poll_and_media_messages(emu: BotApiEmulator, bot: Bot,
                                               dara: SimUser) -> None:
    await bot.send_contact(dara.id, "+855 23 1280", "Child Helpline")
    poll = await bot.send_poll(dara.id, "Safe?", ["Yes", "No"], type="quiz",
                               correct_option_id=0, is_anonymous=False)
    await bot.send_location(dara.id, 11.55, 104.92)
    await bot.send_chat_action(dara.id, "typing")
    with pytest.raises(TelegramBadRequest, match="wrong parameter action"):
        await bot.send_chat_action(dara.id, "dancing")
    kinds = [m.kind for m in emu.chat_messages(emu.private_chat(dara))]
    assert kinds == ["text", "contact", "poll", "location"]
    stored = emu.chat_messages(emu.private_chat(dara))[2]
    update = emu.vote(dara, stored, [0])
    assert poll.poll is not None and update["poll_answer"]["poll_id"] == poll.poll.id


async def test_control_api_with_a_polling_dispatcher(emu: BotApiEmulator) -> None:
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer("Choose", reply_markup=keyboard("lang:km", "lang:en"))

    @router.callback_query(F.data.startswith("lang:"))
    async def chosen(query: CallbackQuery) -> None:
        if isinstance(query.message, Message):
            await query.message.edit_text(f"Chosen {query.data}")
        await query.answer()

    dp = Dispatcher()
    dp.include_router(router)
    user = emu.add_user()
    chat = emu.private_chat(user)
    async with polling(emu, dp):
        waiting = emu.wait_for_bot_message(chat)
        emu.send_text(user, "/start")
        menu = await waiting
        assert menu.text == "Choose" and emu.buttons(menu) == ["b0", "b1"]
        edited = emu.wait_for_bot_message(chat, predicate=lambda m: m.edits > 0)
        emu.click(user, menu, "b1")
        assert (await edited).text == "Chosen lang:en"
        await emu.wait_for_request("answerCallbackQuery")
        await emu.wait_idle(3)
    assert emu.errors == []
    assert emu.calls("forwardMessage") == []
