"""Trainers' groups fed in-process: joining, who may schedule, the /session dialog."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.content.i18n import LANGUAGES, Locales
from dialogs.callbacks import SessionAction, SessionCb
from dialogs.groups.session_edit import FIELDS
from dialogs.groups.session_form import REMINDERS
from simulator.state import SimMessage
from tests.helpers.dialog_client import DialogClient
from tests.helpers.groups import GroupWorld, group_dialog, query


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[GroupWorld]:
    """A group with an admin and two members, the bot already in it, at noon on 1 December."""
    async with group_dialog(tmp_path) as w:
        yield w


def client(w: GroupWorld) -> DialogClient:
    """The in-process client behind the world."""
    assert isinstance(w.sokh, DialogClient)
    return w.sokh


async def schedule_weekly(w: GroupWorld, weeks: str = "4 weeks",
                          pin: tuple[float, float] | None = None, title: str = "Kind words",
                          place: str = "Pagoda hall") -> SimMessage:
    """The admin schedules 'Kind words' on Wednesday 2 December at 18:00, weekly."""
    asked = await w.in_group(w.admin, "/session")
    assert "What is it called?" in asked.text
    topics = await w.in_group(w.admin, title, reply_to=asked)
    assert "Which parenting topic?" in topics.text
    days = await w.tap(w.admin, topics, w.sokh.emu.buttons(topics)[0], expect="Which day?")
    when = await w.tap(w.admin, days, "2", expect="What time")
    where = await w.in_group(w.admin, "18:00", reply_to=when)
    assert "Where?" in where.text
    pin_asked = await w.in_group(w.admin, place, reply_to=where)
    assert "map pin" in pin_asked.text
    if pin is None:
        repeat = await w.tap(w.admin, pin_asked, "Skip")
    else:
        repeat = await w.pin_in_group(w.admin, pin_asked, pin)
    assert "Once, or weekly?" in repeat.text
    reminders = await w.tap(w.admin, repeat, weeks)
    return await w.tap(w.admin, reminders, "24 h and 1 h before")


async def test_added_to_a_group_the_bot_asks_an_admin_for_the_language(
        world: GroupWorld) -> None:
    w, emu = world, world.sokh.emu
    w.group.bot_status = "left"
    hello = await w.sokh.act(w.group, lambda: emu.add_bot_to_group(w.group, by=w.admin))
    assert "I am Sokh" in hello.text and "ខ្ញុំគឺ សុខ" in hello.text
    assert emu.buttons(hello) == ["ខ្មែរ", "English"]
    answered = await client(w).press(w.dara, hello, "ខ្មែរ")
    assert "អ្នកគ្រប់គ្រង" in answered.get("text", ""), "members may not choose"
    intro = await w.tap(w.admin, hello, "English")
    assert "/session" in intro.text and "/trainer" in intro.text
    assert intro.message_id == hello.message_id


async def test_a_member_is_refused_politely_until_an_admin_names_them_trainer(
        world: GroupWorld) -> None:
    w = world
    refused = await w.in_group(w.dara, "/session")
    assert "only the group's admins and the trainers" in refused.text.lower()
    said = w.sokh.emu.send_text(w.dara, "I run the Tuesday group", chat=w.group)
    mine = w.group.messages[said["message"]["message_id"]]
    named = await w.in_group(w.admin, "/trainer", reply_to=mine)
    assert "Dara can now schedule" in named.text
    asked = await w.in_group(w.dara, "/session")
    assert "What is it called?" in asked.text


async def test_an_admin_schedules_a_weekly_series(world: GroupWorld) -> None:
    await check_weekly_series(world)


async def check_weekly_series(w: GroupWorld) -> None:
    """The admin schedules four weekly sessions; the group sees them listed with buttons."""
    saved = await schedule_weekly(w)
    assert "4 weekly sessions scheduled" in saved.text
    for day in ("02/12 18:00", "09/12 18:00", "16/12 18:00", "23/12 18:00"):
        assert day in saved.text
    assert "Pagoda hall" in saved.text and "Kind words" in saved.text
    listed = await w.in_group(w.dara, "/sessions")
    assert listed.text.count("Kind words") == 4
    assert w.sokh.emu.buttons(listed)[:3] == ["✏️ Edit 1", "🔁 Move 1", "❌ Cancel 1"]


async def test_cancelling_and_moving_one_date_is_announced(world: GroupWorld) -> None:
    w = world
    await schedule_weekly(w)
    listed = await w.in_group(w.admin, "/sessions")
    announced = await w.tap(w.admin, listed, "❌ Cancel 2", expect="Cancelled")
    assert "09/12 18:00" in announced.text
    listed = await w.in_group(w.admin, "/sessions")
    assert listed.text.count("Kind words") == 3 and "09/12" not in listed.text
    asked = await w.tap(w.admin, listed, "🔁 Move 1", expect="New date and time")
    moved = await w.in_group(w.admin, "03/12 17:30", reply_to=asked)
    assert "Moved to 03/12 17:30" in moved.text
    denied = await client(w).press(w.bopha, listed, "❌ Cancel 3")
    assert "only the group's admins" in denied.get("text", "")


async def test_private_session_points_to_the_group_and_forms_are_personal(
        world: GroupWorld) -> None:
    w = world
    reply = await w.sokh.say(w.admin, "/session")
    assert "inside your group" in reply.text
    asked = await w.in_group(w.admin, "/session")
    topics = await w.in_group(w.admin, "Kind words", reply_to=asked)
    answered = await client(w).press(w.dara, topics, w.sokh.emu.buttons(topics)[0])
    assert "someone else's" in answered.get("text", "")


def test_reminder_choice_ids_exist_in_both_languages(locales: Locales) -> None:
    for language in LANGUAGES:
        ids = locales.message_ids(language)
        assert {f"sessions-reminders-{key}" for key in REMINDERS} <= ids


async def test_a_trainer_schedules_from_the_private_chat(world: GroupWorld) -> None:
    w, sokh = world, world.sokh
    await schedule_weekly(w, "Once")
    groups = await sokh.say(w.admin, "/session")
    assert "For which group?" in groups.text
    like = await sokh.tap(w.admin, groups, "Parents of Kampong Speu")
    assert "Like the last one?" in like.text and "Kind words" in like.text
    asked = await w.tap(w.admin, like, "✏️ Something new", expect="What is it called?")
    assert "What is it called?" in asked.text
    topics = await sokh.say(w.admin, "Calm mornings")
    days = await sokh.tap(w.admin, topics, sokh.emu.buttons(topics)[1])
    when = w.tap(w.admin, days, "4", expect="What time")
    assert "What time" in (await when).text
    where = await sokh.say(w.admin, "8:30")
    pin_asked = await sokh.say(w.admin, "Health centre")
    assert "Where?" in where.text
    repeat = await sokh.tap(w.admin, pin_asked, "Skip")
    reminders = await sokh.tap(w.admin, repeat, "Once")
    saved = await sokh.tap(w.admin, reminders, "1 h before")
    assert "04/12 08:30" in saved.text
    announced = sokh.emu.last_bot_message(w.group)
    assert announced is not None and "Calm mornings" in announced.text
    refused = await sokh.say(w.dara, "/session")
    assert "inside your group" in refused.text


async def test_editing_a_series_is_announced_and_scoped(world: GroupWorld) -> None:
    w = world
    await schedule_weekly(w)
    listed = await w.in_group(w.admin, "/sessions")
    denied = await client(w).press(w.dara, listed, "✏️ Edit 2")
    assert "only the group's admins" in denied.get("text", "")
    fields = await w.tap(w.admin, listed, "✏️ Edit 2", expect="What should change?")
    assert "09/12 18:00" in fields.text
    assert w.sokh.emu.buttons(fields) == ["Title", "Topic", "Place"]
    asked = await w.tap(w.admin, fields, "Title", expect="New title?")
    scope = await w.in_group(w.admin, "Kinder words", reply_to=asked)
    assert w.sokh.emu.buttons(scope) == ["Only 09/12", "09/12 and later (3)"]
    changed = await w.tap(w.admin, scope, "09/12 and later (3)", expect="Changed")
    assert "Changed, 3 dates" in changed.text and changed.text.count("Kinder words") == 3
    listed = await w.in_group(w.admin, "/sessions")
    assert listed.text.count("Kind words") == 1 and listed.text.count("Kinder words") == 3
    fields = await w.tap(w.admin, listed, "✏️ Edit 1", expect="What should change?")
    asked = await w.tap(w.admin, fields, "Place", expect="New place?")
    scope = await w.in_group(w.admin, "Temple", reply_to=asked)
    changed = await w.tap(w.admin, scope, "Only 02/12", expect="Changed")
    assert "02/12 18:00" in changed.text and "Temple" in changed.text
    listed = await w.in_group(w.admin, "/sessions")
    assert listed.text.count("Temple") == 1 and listed.text.count("Pagoda hall") == 3


async def test_editing_the_topic_and_pin_of_a_single_date(world: GroupWorld) -> None:
    w, emu = world, world.sokh.emu
    await schedule_weekly(w, "Once")
    listed = await w.in_group(w.admin, "/sessions")
    fields = await w.tap(w.admin, listed, "✏️ Edit 1", expect="What should change?")
    topics = await w.tap(w.admin, fields, "Topic", expect="Which parenting topic?")
    new_topic = emu.buttons(topics)[1]
    changed = await w.tap(w.admin, topics, new_topic, expect="Changed")
    assert f"({new_topic})" in changed.text, "a single date changes at once"
    fields = await w.tap(w.admin, listed, "✏️ Edit 1", expect="What should change?")
    asked = await w.tap(w.admin, fields, "Place", expect="New place?")
    changed = await w.pin_in_group(w.admin, asked, (12.25, 104.5))
    assert "Changed" in changed.text and "Pagoda hall" in changed.text
    rows = await query(w, "SELECT latitude, longitude FROM group_sessions")
    assert rows == [(12.25, 104.5)]


def test_ids_built_by_the_session_list_and_edit_exist(locales: Locales) -> None:
    built = {f"sessions-{action}" for action in ("edit", "move", "cancel")}
    built |= {f"sessions-field-{field}" for field in FIELDS}
    built |= {f"sessions-edit-ask-{field}" for field in ("title", "place")}
    for language in LANGUAGES:
        assert built <= locales.message_ids(language)


async def test_the_form_can_be_left_at_every_step(world: GroupWorld) -> None:
    w = world
    asked = await w.in_group(w.admin, "/session")
    topics = await w.in_group(w.admin, "Kind words", reply_to=asked)
    assert "✖️ Cancel" in w.sokh.emu.buttons(topics)
    left = await w.tap(w.admin, topics, "✖️ Cancel", expect="Cancelled")
    assert "Nothing was saved" in left.text
    asked = await w.in_group(w.admin, "/session")
    await w.in_group(w.admin, "Kind words", reply_to=asked)
    stopped = await w.in_group(w.admin, "/cancel", label="Cancelled")
    assert "Nothing was saved" in stopped.text
    assert await query(w, "SELECT id FROM group_sessions") == []
    nothing = await w.in_group(w.admin, "/cancel")
    assert "nothing to cancel" in nothing.text


async def test_a_reminder_time_already_past_is_refused_and_the_saved_ones_are_listed(
        world: GroupWorld) -> None:
    w = world  # noon on 1 December: a session at 11:00 tomorrow has no "24 h before" left
    asked = await w.in_group(w.admin, "/session")
    topics = await w.in_group(w.admin, "Kind words", reply_to=asked)
    days = await w.tap(w.admin, topics, w.sokh.emu.buttons(topics)[0], expect="Which day?")
    when = await w.tap(w.admin, days, "2", expect="What time")
    where = await w.in_group(w.admin, "11:00", reply_to=when)
    pin = await w.in_group(w.admin, "Pagoda hall", reply_to=where)
    repeat = await w.tap(w.admin, pin, "Skip")
    assert "✅ 4 weeks · ⏰ 1 h before" in w.sokh.emu.buttons(repeat), "defaults that still fit"
    reminders = await w.tap(w.admin, repeat, "Once")
    refused = await client(w).press(w.admin, reminders, "24 h and 1 h before")
    assert "already passed" in refused.get("text", "") and refused.get("show_alert")
    assert await query(w, "SELECT id FROM group_sessions") == []
    saved = await w.tap(w.admin, reminders, "1 h before")
    assert "Session scheduled" in saved.text and "⏰ Reminders: 1 h before" in saved.text


async def test_help_in_a_group_shows_its_commands_and_the_child_line(world: GroupWorld) -> None:
    helped = await world.in_group(world.dara, "/help")
    assert "/session" in helped.text and "/sessions" in helped.text
    assert "1280" in helped.text and "117" not in helped.text


async def test_the_next_session_is_like_the_last_one_next_week_or_on_another_day(
        world: GroupWorld) -> None:
    w, emu = world, world.sokh.emu
    await schedule_weekly(w, "Once", pin=(12.25, 104.5))  # Wednesday 2 December, 18:00
    like = await w.in_group(w.admin, "/session")
    assert "Like the last one?" in like.text and "02/12 18:00" in like.text
    assert emu.buttons(like) == ["↻ Same title, topic and place", "✏️ Something new", "✖️ Cancel"]
    days = await w.tap(w.admin, like, "↻ Same title, topic and place", expect="Which day?")
    assert emu.buttons(days)[:4] == ["▶ Wed 9 December 18:00", "‹", "December 2026", "›"]
    past = SessionCb(action=SessionAction.NEXT, value="2026-11-25T18.00").pack()
    query_id = await client(w).click_raw(w.admin, days.message_id, past, chat=w.group)
    assert "already passed" in (emu.callback_answer(query_id) or {}).get("text", "")
    asked = await w.tap(w.admin, days, "10", expect="What time")  # Thursday, from the calendar
    chosen = w.group.messages[days.message_id]
    assert "Day: 10/12" in (chosen.text or "") and emu.buttons(chosen) == ["18:00"], asked.text
    plan = await w.tap(w.admin, chosen, "18:00", expect="Once, or weekly?")
    assert "10/12 18:00" in plan.text and "Pagoda hall" in plan.text, "the place is known"
    saved = await w.tap(w.admin, plan, "✅ 4 weeks · ⏰ 24 h and 1 h before", expect="scheduled")
    assert "4 weekly sessions" in saved.text and "31/12 18:00" in saved.text
    rows = await query(w, "SELECT place, latitude, reminders FROM group_sessions "
                          "WHERE starts_at > '2026-12-03' ORDER BY starts_at")
    assert rows == [("Pagoda hall", 12.25, "1440,60")] * 4, "the pin came along"


async def test_the_calendar_speaks_the_groups_language_and_past_days_are_inert(
        world: GroupWorld) -> None:
    w, emu = world, world.sokh.emu
    choice = await w.in_group(w.admin, "/setup")
    await w.tap(w.admin, choice, "ខ្មែរ")
    w.at(10, 12)
    asked = await w.in_group(w.admin, "/session")
    topics = await w.in_group(w.admin, "Kind words", reply_to=asked)
    days = await w.tap(w.admin, topics, emu.buttons(topics)[0])
    buttons = emu.buttons(days)
    assert buttons[:10] == ["‹", "ខែធ្នូ ឆ្នាំ២០២៦", "›", "ច", "អ", "ព", "ព្រ", "សុ", "ស", "អា"]
    assert "៩" not in buttons and "១០" in buttons and "៣១" in buttons, "9 December is past"
    assert not any(b.isdigit() and b.isascii() for b in buttons)
    assert await client(w).press(w.admin, days, "·") == {}, "an inert cell does nothing"
    january = await w.tap(w.admin, days, "›")
    assert january.message_id == days.message_id and "ខែមករា ឆ្នាំ២០២៧" in emu.buttons(january)
    december = await w.tap(w.admin, january, "‹")
    w.at(12, 12)  # the calendar left open two days: 11 December is gone
    refused = await client(w).press(w.admin, december, "១១")
    assert "កន្លងផុត" in refused.get("text", "") and refused.get("show_alert")
    when = await w.tap(w.admin, december, "១៤", expect="ម៉ោងប៉ុន្មាន")
    where = await w.in_group(w.admin, "១៨:៣០", reply_to=when)  # typed in Khmer digits
    assert "នៅឯណា" in where.text


async def test_a_khmer_group_reads_session_dates_in_khmer_digits(world: GroupWorld) -> None:
    w, emu = world, world.sokh.emu
    await schedule_weekly(w)
    choice = await w.in_group(w.admin, "/setup")
    await w.tap(w.admin, choice, "ខ្មែរ")
    listed = await w.in_group(w.admin, "/sessions")
    assert "០២/១២ ១៨:០០" in listed.text and "02/12" not in listed.text
    fields = await w.tap(w.admin, listed, emu.buttons(listed)[3])  # ✏️ of the second date
    asked = await w.tap(w.admin, fields, emu.buttons(fields)[0])  # its title
    scope = await w.in_group(w.admin, "Kinder words", reply_to=asked)
    assert emu.buttons(scope)[0] == "តែថ្ងៃ ០៩/១២"
    w.at(1, 18)
    assert await w.tick() == 1
    reminder = emu.last_bot_message(w.group)
    assert reminder is not None and "០២/១២ ១៨:០០" in (reminder.text or "")
