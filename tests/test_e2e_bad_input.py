"""Bad input gets a short kind reply (or silence where right) and never breaks the bot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.helpers.harness import Harness, running_bot

FREE_TEXT = "could not find an answer"  # typed text no content matches (dialogs/search.py)


@pytest.fixture
async def sokh(tmp_path: Path) -> AsyncIterator[Harness]:
    """The running bot on SQLite; these flows do not depend on the database kind."""
    async with running_bot(f"sqlite+aiosqlite:///{tmp_path / 'sokh.db'}") as harness:
        yield harness
    assert not harness.emu.errors, [(r.method, r.description) for r in harness.emu.errors]


@pytest.mark.parametrize("kind", ["photo", "document"])
async def test_media_gets_a_kind_reply_with_the_menu(sokh: Harness, kind: str) -> None:
    dara = sokh.emu.add_user(language_code="en")
    waiting = sokh.emu.wait_for_bot_message(sokh.chat(dara))
    getattr(sokh.emu, f"send_{kind}")(dara)
    reply = await waiting
    assert "can't open stickers, photos" in reply.text
    assert "🆘 Get help now" in sokh.emu.buttons(reply)


@pytest.mark.parametrize(("kind", "said"), [("voice", "cannot listen to voice messages"),
                                            ("sticker", "cannot read stickers")])
async def test_voice_and_stickers_get_an_honest_reply_and_people(
    sokh: Harness, kind: str, said: str
) -> None:
    dara = sokh.emu.add_user(language_code="en")
    waiting = sokh.emu.wait_for_bot_message(sokh.chat(dara))
    getattr(sokh.emu, f"send_{kind}")(dara)
    reply = await waiting
    assert said in reply.text
    assert {"🆘 Get help now", "💬 Talk to a counsellor"} <= set(sokh.emu.buttons(reply))


async def test_location_is_not_wanted(sokh: Harness) -> None:
    dara = sokh.emu.add_user(language_code="en")
    waiting = sokh.emu.wait_for_bot_message(sokh.chat(dara))
    sokh.emu.send_location(dara)
    assert "don't need your location" in (await waiting).text


@pytest.mark.parametrize("text", ["x" * 10_000, "<b>&", "&amp; <i>not closed", "   ", "ក" * 4096])
async def test_odd_text_is_answered_within_telegram_limits(sokh: Harness, text: str) -> None:
    dara = sokh.emu.add_user(language_code="en")
    reply = await sokh.say(dara, text)
    assert FREE_TEXT in reply.text


async def test_unknown_command(sokh: Harness) -> None:
    dara = sokh.emu.add_user(language_code="en")
    reply = await sokh.say(dara, "/launchrockets now")
    assert "don't know that command" in reply.text


@pytest.mark.parametrize("data", [
    "garbage", "t:parenting:no-such-topic:0", "t:parenting:one-on-one:999",
    "m:nowhere", "l:fr", "c:no-such-service", "x" * 64, "t:services:x:0",
])
async def test_stale_or_forged_buttons_return_to_the_menu(sokh: Harness, data: str) -> None:
    dara = sokh.emu.add_user(language_code="en")
    menu = await sokh.say(dara, "/menu")
    answered = sokh.emu.wait_for_request("answerCallbackQuery")
    sokh.emu.click_raw(dara, menu.message_id, data)
    answer = await answered
    assert answer.ok and answer.params.get("text"), "the spinner stops with a short note"
    await sokh.emu.wait_idle()
    screen = sokh.emu.chat_messages(sokh.chat(dara))[-1]
    assert screen.message_id == menu.message_id and sokh.emu.buttons(screen)


async def test_button_on_a_deleted_message_sends_a_new_one(sokh: Harness) -> None:
    dara = sokh.emu.add_user(language_code="en")
    await sokh.say(dara, "/menu")
    waiting = sokh.emu.wait_for_bot_message(sokh.chat(dara))
    sokh.emu.click_raw(dara, 987654, "m:help")
    assert "1280" in (await waiting).text


async def test_tapping_the_current_screen_again_is_not_an_error(sokh: Harness) -> None:
    dara = sokh.emu.add_user(language_code="en")
    menu = await sokh.say(dara, "/menu")
    query = sokh.emu.click_raw(dara, menu.message_id, "m:home")
    await sokh.emu.wait_idle()
    assert sokh.emu.callback_answer(query) is not None


async def test_edited_message_asks_to_send_again(sokh: Harness) -> None:
    dara = sokh.emu.add_user(language_code="en")
    await sokh.say(dara, "hello")
    mine = next(m for m in sokh.emu.chat_messages(sokh.chat(dara)) if not m.from_bot)
    waiting = sokh.emu.wait_for_bot_message(sokh.chat(dara))
    sokh.emu.edit_text(dara, mine, "hello again")
    assert "only read new messages" in (await waiting).text


async def test_channel_posts_and_group_chatter_get_silence(sokh: Harness) -> None:
    dara = sokh.emu.add_user(language_code="en")
    group = sokh.emu.add_group("Parents of Kampot", members=[dara], admins=[dara])
    before = len(sokh.emu.requests)
    sokh.emu.channel_post("news")
    sokh.emu.send_text(dara, "see you all tomorrow", chat=group)
    await sokh.emu.wait_idle()
    sent = [r.method for r in sokh.emu.requests[before:] if r.method.lower() != "getupdates"]
    assert sent == []


async def test_inline_query_points_to_the_private_chat(sokh: Harness) -> None:
    dara = sokh.emu.add_user(language_code="en")
    waiting = sokh.emu.wait_for_request("answerInlineQuery")
    sokh.emu.inline_query(dara, "help")
    answer = await waiting
    assert answer.ok and answer.params["button"]["start_parameter"] == "inline"


async def test_blocking_the_bot_is_noted_and_nothing_breaks(sokh: Harness) -> None:
    dara = sokh.emu.add_user(language_code="en")
    await sokh.say(dara, "/start")
    sokh.emu.block(dara)
    await sokh.emu.wait_idle()
    async with sokh.app.services.engine.connect() as conn:
        from sqlalchemy import text

        blocked = (await conn.execute(text("SELECT blocked_at FROM people"))).scalar_one()
    assert blocked is not None


async def test_a_flood_is_throttled_and_others_are_still_answered(tmp_path: Path) -> None:
    async with running_bot(f"sqlite+aiosqlite:///{tmp_path / 'f.db'}", flood_limit=6) as sokh:
        flooder, other = sokh.emu.add_user(language_code="en"), sokh.emu.add_user()
        for n in range(40):
            sokh.emu.send_text(flooder, f"spam {n}")
        answer = await sokh.say(other, "/help")
        assert "1280" in answer.text
        await sokh.emu.wait_idle()
        replies = [m for m in sokh.emu.chat_messages(sokh.chat(flooder)) if m.from_bot]
        assert 2 <= len(replies) <= 7
        assert any("sending messages very fast" in m.text for m in replies)
        assert not sokh.emu.errors
        await asyncio.sleep(0)
