"""Retention that covers Telegram (issue 14, item 5), fed in-process: a purged case's forum
topic is deleted; where Telegram refuses, its copies are deleted one by one and the rest is
retried with a growing pause; zero retention and /forget do it at once."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dialogs.counsellor.jobs import clean_forum, purge_cases
from simulator.state import SimMessage
from tests.helpers.desk import TAKE, Desk, desk_dialog, rows
from tests.test_dialogs_counsellor_privacy import FakeClock

FIRST = "my stepfather hurts me, I live near the market in Takeo"
LATER = "he took my phone yesterday"
REPLY = "Thank you for telling me. Are you safe tonight?"


async def conversation(d: Desk) -> int:
    """Open a case carrying her first message, write, take and answer; return the topic."""
    emu = d.sokh.emu
    await d.open_case(FIRST)
    thread = d.topic_id()
    await d.forum_message(lambda: emu.send_text(d.person, LATER))
    await d.person_message(lambda: emu.click(d.vanna, d.intro(), TAKE))
    await d.person_message(lambda: emu.send_text(d.vanna, REPLY, d.forum, thread_id=thread))
    return thread


async def close(d: Desk, thread: int) -> SimMessage:
    """The counsellor types /close in the topic; return what the person gets."""
    return await d.person_message(
        lambda: d.sokh.emu.send_text(d.vanna, "/close", d.forum, thread_id=thread))


def left_in_forum(d: Desk, *words: str) -> list[str]:
    """Visible forum messages that contain any of `words`."""
    return [m.text or "" for m in d.sokh.emu.chat_messages(d.forum)
            if any(w in (m.text or "") for w in words)]


async def purge(d: Desk) -> int:
    """The two jobs as the scheduler runs them: purge rows, then clean the forum."""
    services = d.sokh.services
    await purge_cases(services.cases, services.settings)
    return await clean_forum(d.sokh.bot, services.cases)


async def test_the_retention_purge_deletes_the_forum_topic(tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 1, 5, 3, 0, tzinfo=UTC))
    async with desk_dialog(tmp_path, clock=clock, case_retention_days=30) as d:
        thread = await conversation(d)
        closing = await close(d, thread)
        assert "kept, encrypted, for 30 days, then deleted from Sokh and from the counsellors'" \
            in closing.text
        clock.now += timedelta(days=29)
        assert await purge(d) == 0 and thread in d.forum.topics, "kept for 30 days"
        clock.now += timedelta(days=2)
        assert await purge(d) == 1
        assert thread not in d.forum.topics and not left_in_forum(d, FIRST, LATER, REPLY)
        assert not left_in_forum(d, "Urgent case"), "the announcement in General goes too"
        assert [c.params["message_thread_id"] for c in d.sokh.calls("deleteForumTopic")] \
            == [thread]
        for table in ("cases", "case_messages", "case_forum_messages", "forum_cleanup"):
            assert await rows(d.sokh, f"SELECT count(*) FROM {table}") == [(0,)], table


async def test_a_refused_topic_deletion_falls_back_and_is_retried(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    clock = FakeClock(datetime(2026, 1, 5, 3, 0, tzinfo=UTC))
    async with desk_dialog(tmp_path, clock=clock, case_retention_days=1) as d:
        thread = await conversation(d)
        await close(d, thread)
        d.forum.bot_status = "member"  # someone took the bot's admin rights away
        clock.now += timedelta(days=2)
        assert await purge(d) == 0
        # Her words' copies and the bot's notes went one by one; the counsellor's own
        # message is not the bot's to delete without admin rights: retried later.
        assert not left_in_forum(d, FIRST, LATER, "Urgent case")
        assert left_in_forum(d, REPLY) and thread in d.forum.topics
        [(attempts,)] = await rows(d.sokh, "SELECT attempts FROM forum_cleanup")
        assert attempts == 1
        calls = len(d.sokh.calls("deleteForumTopic"))
        clock.now += timedelta(seconds=30)
        assert await purge(d) == 0 and len(d.sokh.calls("deleteForumTopic")) == calls, \
            "not before the pause is over"
        clock.now += timedelta(seconds=31)
        assert await purge(d) == 0
        [(attempts,)] = await rows(d.sokh, "SELECT attempts FROM forum_cleanup")
        assert attempts == 2, "failed again: the next pause doubles"
        d.forum.bot_status = "administrator"  # rights given back
        clock.now += timedelta(minutes=2)
        assert await purge(d) == 1
        assert thread not in d.forum.topics and not left_in_forum(d, REPLY)
        assert await rows(d.sokh, "SELECT count(*) FROM forum_cleanup") == [(0,)]
        d.sokh.emu._errors.clear()  # the refusals were the point of the test
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "forum cleanup 1 failed (try 1: Bad Request: not enough rights" in logged
    for secret in (FIRST, LATER, REPLY, "Chanthou", str(d.person.id)):
        assert secret not in logged, f"{secret!r} is in the logs"


async def test_zero_retention_deletes_the_topic_at_close(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path, case_retention_days=0) as d:
        thread = await conversation(d)
        closing = await close(d, thread)
        assert "being deleted now, from Sokh and from the counsellors' chat" in closing.text
        await d.sokh.settle()
        assert thread not in d.forum.topics and not left_in_forum(d, FIRST, LATER, REPLY)
        assert left_in_forum(d, "its topic was deleted")
        assert await rows(d.sokh, "SELECT count(*) FROM case_messages") == [(0,)]
        assert await rows(d.sokh, "SELECT count(*) FROM forum_cleanup") == [(0,)]


async def test_forget_deletes_the_topic_of_an_open_case(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        thread = await conversation(d)
        confirm = await d.sokh.say(d.person, "/forget")
        assert "counsellors' Telegram group" in confirm.text
        done = await d.sokh.tap(d.person, confirm, "Yes, erase")
        assert "Your conversation with a counsellor was erased" in done.text
        assert thread not in d.forum.topics and not left_in_forum(d, FIRST, LATER, REPLY)
        for table in ("cases", "case_messages", "case_forum_messages", "forum_cleanup"):
            assert await rows(d.sokh, f"SELECT count(*) FROM {table}") == [(0,)], table
        after = await d.sokh.say(d.person, "hello?")
        assert "Counsellor" not in after.text and d.forum.topics.get(thread) is None
