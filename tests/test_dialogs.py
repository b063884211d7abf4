"""The first conversations: menus, browsing, help, settings and /forget, fed in-process."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from tests.helpers.dialog_client import DialogClient


async def _rows(dialog: DialogClient, sql: str) -> list[tuple[object, ...]]:
    async with dialog.services.engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(text(sql))]


async def _eventually_rows(dialog: DialogClient, sql: str, count: int) -> list[tuple[object, ...]]:
    """The rows once `count` exist: reach is recorded just after the screen is shown."""
    for _ in range(100):
        rows = await _rows(dialog, f"{sql} ORDER BY id")
        if len(rows) >= count:
            return rows
        await asyncio.sleep(0.05)
    return rows


async def test_start_offers_languages_and_remembers_the_choice(dialog: DialogClient) -> None:
    dara = dialog.emu.add_user(language_code="en")
    choice = await dialog.say(dara, "/start")
    assert dialog.emu.buttons(choice) == ["ខ្មែរ", "English"]
    menu = await dialog.tap(dara, choice, "ខ្មែរ")
    assert menu.message_id == choice.message_id, "the choice is edited in place"
    assert "តើអ្នកចង់ធ្វើអ្វី" in menu.text
    again = await dialog.say(dara, "/start")
    assert "តើអ្នកចង់ធ្វើអ្វី" in again.text, "a returning person goes straight to the menu"
    assert await _rows(dialog, "SELECT language FROM people") == [("km",)]


async def test_telegram_language_is_only_the_default(dialog: DialogClient) -> None:
    sophea = dialog.emu.add_user(language_code="en")
    choice = await dialog.say(sophea, "/language")
    assert "Choose your language" in choice.text
    menu = await dialog.tap(sophea, choice, "English")
    assert "What would you like to do?" in menu.text
    assert dialog.emu.buttons(menu)[:3] == ["👪 Parenting tips", "🧳 Safe migration",
                                          "🆘 Get help now"]


async def test_browsing_edits_one_message_and_records_reach(dialog: DialogClient) -> None:
    topic = dialog.services.content.current.topic("parenting", "one-on-one")
    assert topic is not None and len(topic.items) >= 2
    dara = dialog.emu.add_user(language_code="en")
    menu = await dialog.say(dara, "/menu")
    topics = await dialog.tap(dara, menu, "👪 Parenting tips")
    item = await dialog.tap(dara, topics, topic.title.en)
    total = len(topic.items)
    assert topic.items[0].text.en[:40] in item.text and f"1 / {total}" in item.text
    second = await dialog.tap(dara, item, "Next ›")
    assert f"2 / {total}" in second.text and "‹ Previous" in dialog.emu.buttons(second)
    back = await dialog.tap(dara, second, "‹ Back")
    home = await dialog.tap(dara, back, "☰ Menu")
    ids = {m.message_id for m in (topics, item, second, back, home)}
    assert ids == {menu.message_id}
    assert len(dialog.emu.chat_messages(dialog.chat(dara))) == 2, "only /menu and one reply"
    rows = await _eventually_rows(dialog, "SELECT content_version, item_id FROM deliveries", 2)
    version = dialog.services.content.current.version
    # Reach is recorded just after each screen, so two quick taps may land in either order.
    assert sorted(rows) == sorted([(version, topic.items[0].id), (version, topic.items[1].id)])


async def test_last_page_has_no_next(dialog: DialogClient) -> None:
    topic = dialog.services.content.current.topic("migration", "at-work")  # not a tick-off list
    assert topic is not None
    dara = dialog.emu.add_user(language_code="en")
    page = await dialog.tap(dara, await dialog.say(dara, "/menu"), "🧳 Safe migration")
    page = await dialog.tap(dara, page, topic.title.en)
    for _ in range(len(topic.items) - 1):
        page = await dialog.tap(dara, page, "Next ›")
    assert "Next ›" not in dialog.emu.buttons(page)
    assert f"{len(topic.items)} / {len(topic.items)}" in page.text


async def test_help_shows_numbers_and_sends_a_call_card(dialog: DialogClient) -> None:
    dara = dialog.emu.add_user(language_code="en")
    hotlines = await dialog.say(dara, "/help")
    assert "1280" in hotlines.text and "117" in hotlines.text
    assert hotlines.text.index("1280") < hotlines.text.index("117")
    assert "023 997 919" not in hotlines.text, "more numbers are one tap away, by topic or place"
    card = await dialog.tap(dara, hotlines, "📞 1280 Child Helpline Cambodia")
    assert card.kind == "contact"
    contact = dialog.emu.calls("sendContact")[-1].params
    assert contact["phone_number"] == "1280"


async def test_counsellor_is_honest_and_gives_numbers(dialog: DialogClient) -> None:
    dara = dialog.emu.add_user(language_code="en")
    menu = await dialog.say(dara, "/menu")
    screen = await dialog.tap(dara, menu, "💬 Talk to a counsellor")
    assert "not ready yet" in screen.text and "1280" in screen.text


async def test_forget_asks_then_erases_everything(dialog: DialogClient) -> None:
    dara = dialog.emu.add_user(language_code="en")
    menu = await dialog.say(dara, "/menu")
    topics = await dialog.tap(dara, menu, "🧳 Safe migration")
    await dialog.tap(dara, topics, "At work abroad")  # a page: one delivery
    ask = await dialog.say(dara, "/forget")
    assert dialog.emu.buttons(ask) == ["Yes, erase", "No, keep"]
    done = await dialog.tap(dara, ask, "Yes, erase")
    # 1 delivery, 4 message ids kept for quick exit and their state row (docs/quick-exit.md).
    assert "6 other record" in done.text
    assert await _rows(dialog, "SELECT key FROM people") == []
    assert await _rows(dialog, "SELECT id FROM deliveries") == []


async def test_settings_change_language_in_place(dialog: DialogClient) -> None:
    dara = dialog.emu.add_user(language_code="en")
    menu = await dialog.say(dara, "/menu")
    settings = await dialog.tap(dara, menu, "⚙️ Settings")
    choice = await dialog.tap(dara, settings, "🌐 Language: English")
    khmer = await dialog.tap(dara, choice, "ខ្មែរ")
    assert "ភាសាខ្មែរ" in khmer.text
