"""Discreet notifications, fed in-process: a neutral first line, fully neutral with Read."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text

from simulator.state import SimMessage, SimUser
from tests.helpers.course import DialogCourse
from tests.helpers.desk import FRESH, TAKE, Desk, desk_dialog, rows
from tests.helpers.dialog_client import DialogClient
from tests.helpers.harness import Harness

NEUTRAL = "You have a new message from Sokh."
READ = "📖 Read"
LISTEN = "I am here to listen."


async def choose(sokh: DialogClient | Harness, user: SimUser, style: str, language: str = "English",
                 settings: str = "⚙️ Settings",
                 notifications: str = "🔔 Notifications") -> SimMessage:
    """Start, pick a language, open Settings → Notifications and tap a style."""
    choice = await sokh.say(user, "/start")
    menu = await sokh.tap(user, choice, language)
    opened = await sokh.tap(user, menu, settings)
    screen = await sokh.tap(user, opened, notifications)
    return await sokh.tap(user, screen, style)


async def counsellor_says(d: Desk, text: str) -> SimMessage:
    """The counsellor who took the case writes in its topic; return what the person gets."""
    emu, thread = d.sokh.emu, d.topic_id()
    return await d.person_message(lambda: emu.send_text(d.vanna, text, d.forum, thread_id=thread))


async def refused(sokh: DialogClient | Harness, user: SimUser, message_id: int,
                  data: str) -> str:
    """Tap a (forged or stale) button; return the alert the person got."""
    query = sokh.emu.click_raw(user, message_id, data)
    await sokh.settle()
    answer = sokh.emu.callback_answer(query) or {}
    assert answer.get("show_alert"), answer
    return str(answer.get("text", ""))


async def test_a_counsellor_reply_starts_with_the_neutral_line(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        await d.open_case(choice=FRESH)  # she has not written in the case: not live
        joined = await d.person_message(lambda: d.sokh.emu.click(d.vanna, d.intro(), TAKE))
        assert joined.text.startswith(f"{NEUTRAL}\n\n") and "counsellor has joined" in joined.text
        reply = await counsellor_says(d, LISTEN)
        assert reply.text == f"{NEUTRAL}\n\nCounsellor: {LISTEN}"
        assert d.sokh.emu.buttons(reply) == [], "discreet: the content itself, no Read button"


async def test_fully_neutral_shows_only_the_line_and_read_edits_it_in_place(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        emu = d.sokh.emu
        chosen = await choose(d.sokh, d.person, "Fully neutral")
        assert "✅ Fully neutral" in emu.buttons(chosen) and NEUTRAL in chosen.text
        await d.open_case(choice=FRESH)  # she has not written in the case: not live
        joined = await d.person_message(lambda: emu.click(d.vanna, d.intro(), TAKE))
        assert (joined.text, emu.buttons(joined)) == (NEUTRAL, [READ])
        note = await counsellor_says(d, LISTEN)
        assert (note.text, emu.buttons(note)) == (NEUTRAL, [READ])
        sent = len(emu.calls("sendMessage"))
        shown = await d.sokh.tap(d.person, note, READ)
        assert shown.message_id == note.message_id and shown.text == f"Counsellor: {LISTEN}"
        assert len(emu.calls("sendMessage")) == sent, "revealed by an edit: no new notification"
        [(sealed,)] = await rows(d.sokh, "SELECT body_enc FROM case_messages")
        assert "listen" not in sealed, "the Read button found the line without clear text"
        thread = d.topic_id()
        closing = await d.person_message(
            lambda: emu.send_text(d.vanna, "/close", d.forum, thread_id=thread))
        assert closing.text == NEUTRAL
        rating = await d.sokh.tap(d.person, closing, READ)
        assert "ended this conversation" in rating.text and emu.buttons(rating)[:2] == ["1", "2"]


async def test_fully_neutral_media_wait_behind_read_and_the_tap_copies_them(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        emu = d.sokh.emu
        await choose(d.sokh, d.person, "Fully neutral")
        await d.open_case(choice=FRESH)  # she has not written in the case: not live
        await d.person_message(lambda: emu.click(d.vanna, d.intro(), TAKE))
        sizes = [{"file_id": "p1", "file_unique_id": "p1u", "width": 90, "height": 60}]
        note = await d.person_message(lambda: emu.user_message(
            d.vanna, d.forum, "photo", thread_id=d.topic_id(), content={"photo": sizes},
            text="the shelter map"))
        assert (note.kind, note.text, emu.buttons(note)) == ("text", NEUTRAL, [READ])
        data = next(b["callback_data"] for row in (note.reply_markup or {})["inline_keyboard"]
                    for b in row)
        forged = data[:-1] + ("0" if data[-1] != "0" else "1")
        assert "no longer here" in await refused(d.sokh, d.person, note.message_id, forged)
        shown = await d.sokh.tap(d.person, note, READ)
        assert shown.message_id == note.message_id
        assert shown.text == "Counsellor: the shelter map"
        photo = d.sokh.emu.last_bot_message(d.sokh.chat(d.person))
        assert photo is not None and photo.kind == "photo", "the photo itself follows the tap"


async def test_a_forged_or_stale_read_is_refused_kindly(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path, case_retention_days=0) as d:
        emu = d.sokh.emu
        await choose(d.sokh, d.person, "Fully neutral")
        await d.open_case(choice=FRESH)  # she has not written in the case: not live
        await d.person_message(lambda: emu.click(d.vanna, d.intro(), TAKE))
        note = await counsellor_says(d, LISTEN)
        [(line,)] = await rows(d.sokh, "SELECT id FROM case_messages WHERE sender = 'counsellor'")
        [(case,)] = await rows(d.sokh, "SELECT id FROM cases")
        stranger = emu.add_user(first_name="Sok", username="sok", language_code="en")
        own = await d.sokh.say(stranger, "/start")
        for data in (f"nr:c:{line}", f"nr:x:{case}", "nr:v:3.XX", "nr:zz:1"):
            assert "no longer here" in await refused(d.sokh, stranger, own.message_id, data)
        seen = " ".join(m.text or "" for m in emu.chat_messages(d.sokh.chat(stranger)))
        assert "listen" not in seen and "ended" not in seen, "nothing of someone else's shown"
        await d.person_message(
            lambda: emu.send_text(d.vanna, "/close", d.forum, thread_id=d.topic_id()))
        gone = await refused(d.sokh, d.person, note.message_id, f"nr:c:{line}")
        assert "no longer here" in gone, "the transcript was erased at close"
        assert d.sokh.chat(d.person).messages[note.message_id].text == NEUTRAL


async def _plan_trip(sokh: DialogClient, user: SimUser, day: str) -> None:
    where = await sokh.tap(user, await sokh.say(user, "/menu"), "✈️ Travel countdown")
    calendar = await sokh.tap(user, where, "Working in Thailand")
    saved = await sokh.tap(user, calendar, day)
    assert "Thailand" in saved.text


async def _begin(sokh: DialogClient, user: SimUser) -> SimMessage:
    return await sokh.tap(user, await sokh.say(user, "/start"), "English")


async def _start_course(sokh: DialogClient, user: SimUser) -> None:
    screen = await sokh.tap(user, await _begin(sokh, user), "📬 Parenting course")
    for label in ("▶️ Start the course", "3–5 years", "🌙 Evening (19:00)", "Every day"):
        screen = await sokh.tap(user, screen, label)


async def test_travel_messages_start_neutral_and_parenting_tips_do_not(
        course: DialogCourse) -> None:
    c, sokh = course, course.sokh
    c.at(1, 10)
    parent, traveller, hidden = (sokh.emu.add_user(language_code="en") for _ in range(3))
    await _start_course(sokh, parent)
    await _begin(sokh, traveller)
    await _plan_trip(sokh, traveller, "2")
    await choose(sokh, hidden, "Fully neutral")
    await _plan_trip(sokh, hidden, "2")
    tip = sokh.last(parent)  # joined by day: the first tip came at once
    assert tip is not None and tip.text.startswith("📬 Tip 1 of"), "tips are not sensitive"
    c.at(2, 8)
    morning = await c.tick(traveller)
    assert morning is not None and morning.text.startswith(f"{NEUTRAL}\n\n✈️ Safe journey")
    c.at(5, 8)
    check_in = await c.tick(traveller)
    assert check_in is not None and check_in.text.startswith(f"{NEUTRAL}\n\n")
    assert sokh.emu.buttons(check_in) == ["✅ Yes, I arrived safely", "🆘 I need help"]
    quiet = sokh.emu.last_bot_message(sokh.chat(hidden))
    assert quiet is not None and (quiet.text, sokh.emu.buttons(quiet)) == (NEUTRAL, [READ])
    shown = await sokh.tap(hidden, quiet, READ)
    assert shown.message_id == quiet.message_id and "arrive safely" in shown.text
    assert sokh.emu.buttons(shown) == ["✅ Yes, I arrived safely", "🆘 I need help"]


async def _db_rows(dialog: DialogClient, sql: str) -> list[tuple[object, ...]]:
    async with dialog.services.engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(text(sql))]


async def test_the_setting_speaks_khmer_too(dialog: DialogClient) -> None:
    user = dialog.emu.add_user(language_code="km")
    chosen = await choose(dialog, user, "អព្យាក្រឹតទាំងស្រុង", "ខ្មែរ", "⚙️ ការកំណត់",
                          "🔔 ការជូនដំណឹង")
    assert "អ្នកមានសារថ្មីពីសុខ។" in chosen.text
    assert dialog.buttons(chosen)[:2] == ["ដោយសម្ងាត់", "✅ អព្យាក្រឹតទាំងស្រុង"]
    assert await _db_rows(dialog, "SELECT notify FROM people") == [("neutral",)]


async def test_forget_erases_the_choice(dialog: DialogClient) -> None:
    user = dialog.emu.add_user(language_code="en")
    back = await choose(dialog, user, "Fully neutral")
    assert await _db_rows(dialog, "SELECT notify FROM people") == [("neutral",)]
    discreet = await dialog.tap(user, back, "Discreet")
    assert "✅ Discreet" in dialog.buttons(discreet)
    await dialog.tap(user, discreet, "Fully neutral")
    confirm = await dialog.say(user, "/forget")
    await dialog.tap(user, confirm, "Yes, erase")
    assert await _db_rows(dialog, "SELECT count(*) FROM people") == [(0,)]
    await dialog.say(user, "/start")
    for _ in range(100):  # the new profile is written as the reply goes out
        if found := await _db_rows(dialog, "SELECT notify FROM people"):
            break
        await asyncio.sleep(0.05)
    assert found == [("discreet",)], "a fresh start is discreet again"
