"""Quick exit: 'Hide this chat' and /hide leave only a neutral menu (issue 7)."""

# The dialogs are fed in-process; a case open with counsellors and a lost database go end to
# end over HTTP.

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bot.storage.vault import Vault
from simulator.state import SimChat, SimMessage, SimUser
from tests.helpers.desk import FRESH
from tests.helpers.dialog_client import DialogClient, dialog_client
from tests.helpers.harness import TEST_SALT, TEST_SECRET, Harness, lose_sqlite_database, running_bot

HIDE = "🙈 Hide chat"
MENU_TITLE = "What would you like to do?"
TOO_OLD = "older than 2 days could not be removed"
FORUM_ID = -1001234567890


async def rows(sokh: DialogClient | Harness, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Raw rows, to check what storage really holds."""
    async with sokh.services.engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(text(sql), params)]


def only_the_menu(sokh: DialogClient | Harness, chat: SimChat) -> SimMessage:
    """Assert the chat shows one message, the plain main menu; return it."""
    visible = sokh.emu.chat_messages(chat)
    assert len(visible) == 1, [m.text for m in visible]
    assert visible[0].from_bot and visible[0].text == MENU_TITLE
    return visible[0]


async def crisis_conversation(sokh: DialogClient, person: SimUser) -> SimMessage:
    """Risk words, the hotlines, a look at all services; return the last screen."""
    crisis = await sokh.say(person, "my stepfather hurts me")
    assert HIDE in sokh.emu.buttons(crisis), "the crisis reply carries the quick exit"
    await sokh.say(person, "what can I do")
    help_screen = await sokh.say(person, "/help")
    assert HIDE in sokh.emu.buttons(help_screen)
    return help_screen


async def test_hide_button_after_a_crisis_leaves_only_the_menu(dialog: DialogClient) -> None:
    child = dialog.emu.add_user(first_name="Mony", language_code="en")
    screen = await crisis_conversation(dialog, child)
    assert len(dialog.emu.chat_messages(dialog.chat(child))) == 6
    await dialog.tap(child, screen, HIDE)
    await dialog.feed()
    only_the_menu(dialog, dialog.chat(child))
    assert dialog.emu.calls("deleteMessages"), "deleted in a batch, not one by one"
    assert not dialog.emu.calls("deleteMessage")


async def test_hide_command_clears_the_chat_and_says_nothing_alarming(dialog: DialogClient) -> None:
    parent = dialog.emu.add_user(language_code="en")
    await dialog.say(parent, "/help")
    await dialog.say(parent, "/hide")
    await dialog.feed()
    menu = only_the_menu(dialog, dialog.chat(parent))
    assert HIDE not in dialog.emu.buttons(menu), "the menu itself is neutral"


async def test_sensitive_screens_all_carry_the_button(dialog: DialogClient) -> None:
    migrant = dialog.emu.add_user(language_code="en")
    menu = await dialog.say(migrant, "/menu")
    help_screen = await dialog.tap(migrant, menu, "🆘 Get help now")
    finder = await dialog.tap(migrant, help_screen, "🧭 By topic")
    assert HIDE in dialog.emu.buttons(help_screen) and HIDE in dialog.emu.buttons(finder)
    menu = await dialog.say(migrant, "/menu")
    topics = await dialog.tap(migrant, menu, "🧳 Safe migration")
    for topic in ("Warning signs", "If your passport is kept"):
        page = await dialog.tap(migrant, topics, topic)
        assert HIDE in dialog.emu.buttons(page), topic
        topics = await dialog.tap(migrant, page, "‹ Back")
    assert HIDE not in dialog.emu.buttons(topics), "ordinary screens stay plain"


async def test_messages_past_48_hours_are_reported_once(tmp_path: Path) -> None:
    async with dialog_client(tmp_path) as sokh:
        child = sokh.emu.add_user(language_code="en")
        first = sokh.emu.chat_messages(sokh.chat(child))
        crisis = await sokh.say(child, "my stepfather hurts me")
        typed = next(m for m in sokh.emu.chat_messages(sokh.chat(child)) if m not in first
                     and not m.from_bot)
        typed.date -= 49 * 3600  # the emulator now sees it as sent two days ago
        menu = await sokh.tap(child, crisis, HIDE)
        await sokh.feed()
        assert TOO_OLD in menu.text and MENU_TITLE in menu.text
        assert sokh.emu.chat_messages(sokh.chat(child)) == [typed, menu]
        refused = {(r.method, r.description) for r in sokh.emu.errors}
        assert refused == {("deleteMessages", "Bad Request: message can't be deleted"),
                           ("deleteMessage", "Bad Request: message can't be deleted for everyone")}
        again = await sokh.say(child, "/hide")
        await sokh.feed()
        assert TOO_OLD not in again.text, "said once, not every time"


async def test_trail_keeps_no_readable_id_and_forget_erases_it(db_url: str, tmp_path: Path) -> None:
    async with dialog_client(tmp_path, database_url=db_url) as sokh:
        await _trail_is_unreadable_and_forgotten(sokh)


async def _trail_is_unreadable_and_forgotten(sokh: DialogClient) -> None:
    child = sokh.emu.add_user(language_code="en")
    await crisis_conversation(sokh, child)
    await sokh.services.quick_exit.trail.flush()
    kept = await rows(sokh, "SELECT person_key, message_id_enc FROM trail_messages")
    ids = {m.message_id for m in sokh.emu.chat_messages(sokh.chat(child))}
    assert len(kept) == len(ids)
    vault = Vault(TEST_SECRET.encode(), TEST_SALT.encode())
    key = vault.person_key(child.id)
    assert {int(vault.decrypt(enc, f"trail:{key}".encode())) for _, enc in kept} == ids
    # Every stored column but the row's own serial number.
    stored = ("SELECT person_key, message_id_enc, sent_at FROM trail_messages",
              "SELECT * FROM trail_state")
    for query in stored:
        for row in await rows(sokh, query):
            cells = [str(cell) for cell in row]
            assert not any(str(child.id) in cell for cell in cells), "no clear chat id"
            assert not any(cell.isdigit() and int(cell) in ids for cell in cells)
    confirm = await sokh.say(child, "/forget")
    await sokh.tap(child, confirm, "Yes, erase")
    for _ in range(2):  # two flushes of the buffer, as the flusher does: nothing may come back
        await sokh.services.quick_exit.trail.flush()
    assert await rows(sokh, "SELECT * FROM trail_messages WHERE person_key = :k", k=key) == []
    assert await rows(sokh, "SELECT * FROM trail_state WHERE person_key = :k", k=key) == []


async def test_open_case_stays_open_and_counsellors_see_a_note(db_url: str) -> None:
    settings: dict[str, Any] = {"counsellor_chat_id": FORUM_ID, "counsellor_language": "en",
                                "counsellor_open_hour": 0, "counsellor_close_hour": 24}
    async with running_bot(db_url, **settings) as sokh:
        vanna = sokh.emu.add_user(first_name="Vanna", language_code="en")
        forum = sokh.emu.add_group("Counsellors", is_forum=True, admins=[vanna],
                                   chat_id=FORUM_ID)
        person = sokh.emu.add_user(language_code="en")
        crisis = await sokh.say(person, "my stepfather hurts me")
        consent = await sokh.tap(person, crisis, "💬 Talk to a counsellor")
        assert HIDE in sokh.emu.buttons(consent)
        connected = await sokh.tap(person, consent, FRESH)
        assert HIDE in sokh.emu.buttons(connected)
        await sokh.emu.wait_idle()
        noted = asyncio.ensure_future(  # a task: the waiter must exist before the tap
            sokh.emu.wait_for_bot_message(forum, 5.0, lambda m: "cleared" in (m.text or "")))
        await sokh.tap(person, connected, HIDE)
        note = await noted
        assert note.thread_id == max(forum.topics) and "still open" in (note.text or "")
        only_the_menu(sokh, sokh.chat(person))
        assert await rows(sokh, "SELECT status FROM cases") == [("waiting",)]
        copied = sokh.emu.wait_for_bot_message(  # paced: behind the topic's notes
            forum, 15.0, lambda m: (m.text or "").endswith("\nstill there?"))
        sokh.emu.send_text(person, "still there?")
        assert (await copied).thread_id == note.thread_id, "the conversation goes on"
    assert not sokh.emu.errors, [(r.method, r.description) for r in sokh.emu.errors]


async def test_without_a_database_the_crisis_reply_goes_out_and_hide_is_honest(
        tmp_path: Path) -> None:
    async with running_bot(f"sqlite+aiosqlite:///{tmp_path / 'sokh.db'}") as sokh:
        await lose_sqlite_database(sokh, tmp_path)
        child = sokh.emu.add_user(language_code="en")
        crisis = await sokh.say(child, "my stepfather hurts me")
        assert "1280" in (crisis.text or "")
        menu = await sokh.tap(child, crisis, HIDE)
        await sokh.settle()
        # What memory held (the unwritten buffer) is deleted; the menu says not all may be.
        assert "could only clear the newest" in (menu.text or "")
        assert MENU_TITLE in (menu.text or "")
        only = sokh.emu.chat_messages(sokh.chat(child))
        assert only == [menu], [m.text for m in only]
