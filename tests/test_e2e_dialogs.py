"""The first conversations, end to end: real bot, real HTTP, real SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from tests.helpers.harness import Harness, running_bot


@pytest.fixture
async def sokh(db_url: str) -> AsyncIterator[Harness]:
    """The running bot on each database."""
    async with running_bot(db_url) as harness:
        yield harness
    assert not harness.emu.errors, [(r.method, r.description) for r in harness.emu.errors]


async def _rows(harness: Harness, sql: str) -> list[tuple[object, ...]]:
    async with harness.app.services.engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(text(sql))]


async def _eventually_rows(harness: Harness, sql: str, count: int) -> list[tuple[object, ...]]:
    """The rows once `count` exist: reach is recorded just after the screen is shown."""
    for _ in range(100):
        rows = await _rows(harness, f"{sql} ORDER BY id")
        if len(rows) >= count:
            return rows
        await asyncio.sleep(0.05)
    return rows


async def test_commands_are_registered_in_both_languages(sokh: Harness) -> None:
    calls = sokh.emu.calls("setMyCommands")
    languages = {call.params.get("language_code") for call in calls}
    assert {"km", "en", None} <= languages
    km = next(c for c in calls if c.params.get("language_code") == "km")
    assert [c["command"] for c in km.params["commands"]] == [
        "start", "menu", "help", "counsellor", "hide", "language", "forget",
        "pause", "resume", "stop"]


async def test_start_offers_languages_and_remembers_the_choice(sokh: Harness) -> None:
    dara = sokh.emu.add_user(language_code="en")
    choice = await sokh.say(dara, "/start")
    assert sokh.emu.buttons(choice) == ["ខ្មែរ", "English"]
    menu = await sokh.tap(dara, choice, "ខ្មែរ")
    assert menu.message_id == choice.message_id, "the choice is edited in place"
    assert "តើអ្នកចង់ធ្វើអ្វី" in menu.text
    again = await sokh.say(dara, "/start")
    assert "តើអ្នកចង់ធ្វើអ្វី" in again.text, "a returning person goes straight to the menu"
    assert await _rows(sokh, "SELECT language FROM people") == [("km",)]


async def test_telegram_language_is_only_the_default(sokh: Harness) -> None:
    sophea = sokh.emu.add_user(language_code="en")
    choice = await sokh.say(sophea, "/language")
    assert "Choose your language" in choice.text
    menu = await sokh.tap(sophea, choice, "English")
    assert "What would you like to do?" in menu.text
    assert sokh.emu.buttons(menu)[:3] == ["👪 Parenting tips", "🧳 Safe migration",
                                          "🆘 Get help now"]


async def test_browsing_edits_one_message_and_records_reach(sokh: Harness) -> None:
    topic = sokh.app.services.content.current.topic("parenting", "one-on-one")
    assert topic is not None and len(topic.items) >= 2
    dara = sokh.emu.add_user(language_code="en")
    menu = await sokh.say(dara, "/menu")
    topics = await sokh.tap(dara, menu, "👪 Parenting tips")
    item = await sokh.tap(dara, topics, topic.title.en)
    total = len(topic.items)
    assert topic.items[0].text.en[:40] in item.text and f"1 / {total}" in item.text
    second = await sokh.tap(dara, item, "Next ›")
    assert f"2 / {total}" in second.text and "‹ Previous" in sokh.emu.buttons(second)
    back = await sokh.tap(dara, second, "‹ Back")
    home = await sokh.tap(dara, back, "☰ Menu")
    ids = {m.message_id for m in (topics, item, second, back, home)}
    assert ids == {menu.message_id}
    assert len(sokh.emu.chat_messages(sokh.chat(dara))) == 2, "only /menu and one reply"
    rows = await _eventually_rows(sokh, "SELECT content_version, item_id FROM deliveries", 2)
    version = sokh.app.services.content.current.version
    # Reach is recorded just after each screen, so two quick taps may land in either order.
    assert sorted(rows) == sorted([(version, topic.items[0].id), (version, topic.items[1].id)])


async def test_last_page_has_no_next(sokh: Harness) -> None:
    topic = sokh.app.services.content.current.topic("migration", "before-you-go")
    assert topic is not None
    dara = sokh.emu.add_user(language_code="en")
    page = await sokh.tap(dara, await sokh.say(dara, "/menu"), "🧳 Safe migration")
    page = await sokh.tap(dara, page, topic.title.en)
    for _ in range(len(topic.items) - 1):
        page = await sokh.tap(dara, page, "Next ›")
    assert "Next ›" not in sokh.emu.buttons(page)
    assert f"{len(topic.items)} / {len(topic.items)}" in page.text


async def test_help_shows_numbers_and_sends_a_call_card(sokh: Harness) -> None:
    dara = sokh.emu.add_user(language_code="en")
    hotlines = await sokh.say(dara, "/help")
    assert "1280" in hotlines.text and "117" in hotlines.text
    assert hotlines.text.index("1280") < hotlines.text.index("023 997 919")
    card = await sokh.tap(dara, hotlines, "📞 1280 Child Helpline Cambodia")
    assert card.kind == "contact"
    contact = sokh.emu.calls("sendContact")[-1].params
    assert contact["phone_number"] == "1280"


async def test_counsellor_is_honest_and_gives_numbers(sokh: Harness) -> None:
    dara = sokh.emu.add_user(language_code="en")
    menu = await sokh.say(dara, "/menu")
    screen = await sokh.tap(dara, menu, "💬 Talk to a counsellor")
    assert "not ready yet" in screen.text and "1280" in screen.text


async def test_forget_asks_then_erases_everything(sokh: Harness) -> None:
    dara = sokh.emu.add_user(language_code="en")
    menu = await sokh.say(dara, "/menu")
    topics = await sokh.tap(dara, menu, "🧳 Safe migration")
    await sokh.tap(dara, topics, "Before you go")
    ask = await sokh.say(dara, "/forget")
    assert sokh.emu.buttons(ask) == ["Yes, erase", "No, keep"]
    done = await sokh.tap(dara, ask, "Yes, erase")
    # 1 delivery, 4 message ids kept for quick exit and their state row (docs/quick-exit.md).
    assert "6 other record" in done.text
    assert await _rows(sokh, "SELECT key FROM people") == []
    assert await _rows(sokh, "SELECT id FROM deliveries") == []


async def test_settings_change_language_in_place(sokh: Harness) -> None:
    dara = sokh.emu.add_user(language_code="en")
    menu = await sokh.say(dara, "/menu")
    settings = await sokh.tap(dara, menu, "⚙️ Settings")
    choice = await sokh.tap(dara, settings, "🌐 Language: English")
    khmer = await sokh.tap(dara, choice, "ខ្មែរ")
    assert "ភាសាខ្មែរ" in khmer.text
