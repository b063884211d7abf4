"""Session reminders through the outbox, fed in-process on a fake clock: RSVP, removal."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from simulator.state import Topic
from tests.helpers.groups import GroupWorld, group_dialog, query
from tests.test_dialogs_groups import client, schedule_weekly


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[GroupWorld]:
    """A group with a weekly series from 2 December 18:00, scheduled at noon on 1 December."""
    async with group_dialog(tmp_path) as w:
        await w.sokh.say(w.admin, "/start")  # the trainer has a private chat with Sokh
        choice = await w.in_group(w.admin, "/setup")
        await w.tap(w.admin, choice, "English")
        await schedule_weekly(w)
        yield w


def bot_texts(w: GroupWorld) -> list[str]:
    """Every bot message in the group, oldest first."""
    return [m.text or "" for m in w.sokh.emu.chat_messages(w.group) if m.from_bot]


async def test_reminders_24h_and_1h_before_with_counts_edited_in_place(world: GroupWorld) -> None:
    w = world
    w.at(1, 17, 59)
    assert await w.tick() == 0, "nothing before 24 h ahead"
    w.at(1, 18)
    assert await w.tick() == 1
    reminder = w.sokh.emu.last_bot_message(w.group)
    assert reminder is not None and "Reminder: Kind words" in reminder.text
    assert "02/12 18:00" in reminder.text and "Coming: 0" in reminder.text
    came = await w.tap(w.dara, reminder, "✅ I'll come")
    assert came.message_id == reminder.message_id and "Coming: 1" in came.text
    edited = await w.tap(w.bopha, came, "❌ Can't come")
    assert "Coming: 1 · ❌ Can't come: 1" in edited.text
    edited = await w.tap(w.bopha, edited, "✅ I'll come")
    assert "Coming: 2 · ❌ Can't come: 0" in edited.text, "a changed mind is counted once"
    assert await w.tick() == 0, "one reminder, once"
    w.at(2, 17)
    assert await w.tick() == 1
    second = w.sokh.emu.last_bot_message(w.group)
    assert second is not None and second.message_id != reminder.message_id
    assert "Coming: 2" in second.text, "the 1 h reminder starts from the counts so far"


async def test_after_the_session_a_tip_and_the_trainers_attendance(world: GroupWorld) -> None:
    w, sokh = world, world.sokh
    w.at(2, 20)
    assert await w.tick() >= 1  # the reminders were missed: only the follow-up is sent
    await w.tick()
    assert "After today's session" in bot_texts(w)[-1]
    prompt = sokh.emu.last_bot_message(sokh.chat(w.admin))
    assert prompt is not None and "Record attendance" in sokh.emu.buttons(prompt)[0]
    how = await sokh.tap(w.admin, prompt, "📝 Record attendance")
    assert "How many came?" in how.text
    assert "one number" in (await sokh.say(w.admin, "lots")).text
    saved = await sokh.say(w.admin, "12 7 3 1 1")
    assert "12 came" in saved.text
    rows = await query(w, "SELECT attended, women, men, girls, boys FROM group_sessions "
                          "WHERE attended IS NOT NULL")
    assert rows == [(12, 7, 3, 1, 1)]
    assert str(w.admin.id) not in repr(await query(w, "SELECT * FROM group_sessions"))


async def test_a_cancelled_date_gets_no_reminder(world: GroupWorld) -> None:
    w = world
    listed = await w.in_group(w.admin, "/sessions")
    await w.tap(w.admin, listed, "❌ Cancel 1", expect="Cancelled")
    before = len(bot_texts(w))
    w.at(1, 18)
    assert await w.tick() == 0
    w.at(8, 18)
    assert await w.tick() == 1, "the next week's reminder still comes"
    assert len(bot_texts(w)) == before + 1


async def test_removal_pauses_and_readding_resumes(world: GroupWorld) -> None:
    w, emu = world, world.sokh.emu
    emu.remove_bot_from_group(w.group, by=w.admin)
    await client(w).feed()
    w.at(1, 18)
    assert await w.tick() == 0, "paused while the bot is out"
    await w.sokh.act(w.group, lambda: emu.add_bot_to_group(w.group, by=w.admin))
    w.at(2, 17)
    assert await w.tick() == 1
    assert "Reminder: Kind words" in bot_texts(w)[-1]


async def test_a_group_upgraded_to_a_supergroup_keeps_its_sessions(world: GroupWorld) -> None:
    w, emu = world, world.sokh.emu
    new_id = -1_000_000_777_001
    upgraded = emu.add_group("Parents of Kampong Speu", kind="supergroup", chat_id=new_id,
                             members=[w.dara, w.bopha], admins=[w.admin])
    emu.push_update({"message": {"message_id": 900, "date": 0, "chat": w.group.to_api(),
                                 "from": w.admin.to_api(), "migrate_to_chat_id": new_id}})
    await client(w).feed()
    w.at(1, 18)
    assert await w.tick() == 1
    reminder = emu.last_bot_message(upgraded)
    assert reminder is not None and "Reminder: Kind words" in reminder.text
    came = await w.tap(w.dara, reminder, "✅ I'll come")
    assert "Coming: 1" in came.text


async def test_a_forum_gets_reminders_in_the_topic_sessions_were_set_up_in(
        tmp_path: Path) -> None:
    async with group_dialog(tmp_path) as w:
        emu = w.sokh.emu
        forum = emu.add_group("Youth club", is_forum=True, members=[w.dara], admins=[w.admin])
        forum.topics[77] = Topic(77, "Sessions")
        w.group = forum
        asked = await w.sokh.act(
            forum, lambda: emu.send_text(w.admin, "/session", chat=forum, thread_id=77))
        assert asked.thread_id == 77
        topics = await w.in_group(w.admin, "Club night", reply_to=asked)
        days = await w.tap(w.admin, topics, emu.buttons(topics)[0], expect="Which day?")
        when = await w.tap(w.admin, days, "2", expect="What time")
        where = await w.in_group(w.admin, "18:00", reply_to=when)
        pin_asked = await w.in_group(w.admin, "School yard", reply_to=where)
        repeat = await w.tap(w.admin, pin_asked, "Skip")
        reminders = await w.tap(w.admin, repeat, "Once")
        await w.tap(w.admin, reminders, "1 h before")
        w.at(2, 17)
        assert await w.tick() == 1
        reminder = emu.last_bot_message(forum)
        assert reminder is not None and reminder.thread_id == 77
        assert "Club night" in (reminder.text or "")


async def test_a_pinned_place_follows_the_reminder_as_a_venue(tmp_path: Path) -> None:
    async with group_dialog(tmp_path) as w:
        emu = w.sokh.emu
        await schedule_weekly(w, "Once", pin=(11.56, 104.92))
        w.at(1, 18)
        assert await w.tick() == 2, "the reminder goes, its pin waits for the group's next slot"
        assert not emu.calls("sendVenue")
        w.time.advance(3)
        assert await w.sender.run_once() == 1
        venue = emu.last_bot_message(w.group)
        assert venue is not None and venue.kind == "venue"
        point = venue.content["venue"]
        assert (point["title"], point["address"]) == ("Kind words", "Pagoda hall")
        assert point["location"] == {"latitude": 11.56, "longitude": 104.92}
        assert "Kind words" in bot_texts(w)[-2], "the reminder came first"
