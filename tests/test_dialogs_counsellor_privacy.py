"""Counsellor path, fed in-process: hours, waiting, /queue, /forget, retention, a privacy scan."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dialogs.counsellor.jobs import purge_cases, tell_waiting
from tests.helpers.desk import TAKE, Desk, desk_dialog, rows
from tests.helpers.leaks import leaks, log_text, secrets_of, sqlite_files

PHRASE = "my uncle Sokunthea in Battambang took my passport"
REPLY = "We can help you get the document back safely"


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


async def _tell_waiting(d: Desk) -> int:
    services = d.sokh.services
    return await tell_waiting(d.sokh.bot, services.cases, services.locales,
                              services.content, services.settings, services.people)


async def test_no_one_took_it_is_said_honestly_and_the_queue_shows_it(tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 1, 5, 3, 0, tzinfo=UTC))  # 10:00 in Phnom Penh
    async with desk_dialog(tmp_path, clock=clock, counsellor_open_hour=8,
                    counsellor_close_hour=17) as d:
        await d.open_case()
        clock.now += timedelta(minutes=20)
        waiting = asyncio.create_task(d.sokh.emu.wait_for_bot_message(d.sokh.chat(d.person)))
        await asyncio.sleep(0)  # the waiter must be in place before the job sends
        assert await _tell_waiting(d) == 1
        honest = await waiting
        assert "in 15 minutes" in honest.text and "1280" in honest.text
        assert await _tell_waiting(d) == 0, "told once, not every minute"
        queue = await d.forum_message(lambda: d.sokh.emu.send_text(d.vanna, "/queue", d.forum))
        assert "🔴 Case" in queue.text and "waiting 20 min" in queue.text
        left = await d.forum_message(lambda: d.sokh.emu.send_text(d.person, "call me later"))
        assert left.thread_id == d.topic_id(), "a message left while waiting reaches the topic"


async def test_outside_hours_the_consent_screen_says_so(tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 1, 5, 15, 0, tzinfo=UTC))  # 22:00 in Phnom Penh
    async with desk_dialog(tmp_path, clock=clock, counsellor_open_hour=8,
                    counsellor_close_hour=17) as d:
        consent = await d.sokh.say(d.person, "/counsellor")
        assert "not on duty right now" in consent.text and "between 8:00 and 17:00" in consent.text


async def test_forget_erases_the_case_and_its_transcript(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        await d.open_case()
        await d.forum_message(lambda: d.sokh.emu.send_text(d.person, PHRASE))
        await d.sokh.settle()
        # The message that opened the case, carried in with her consent, and this one.
        assert await rows(d.sokh, "SELECT count(*) FROM case_messages") == [(2,)]
        confirm = await d.sokh.say(d.person, "/forget")
        done = await d.sokh.tap(d.person, confirm, "Yes, erase")
        assert "Done" in done.text
        for table in ("cases", "case_messages", "people"):
            assert await rows(d.sokh, f"SELECT count(*) FROM {table}") == [(0,)], table


async def test_zero_retention_deletes_the_transcript_at_close(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path, case_retention_days=0) as d:
        await d.open_case()
        emu, thread = d.sokh.emu, d.topic_id()
        await d.forum_message(lambda: emu.send_text(d.person, PHRASE))
        await d.sokh.settle()
        # The message that opened the case, carried in with her consent, and this one.
        assert await rows(d.sokh, "SELECT count(*) FROM case_messages") == [(2,)]
        await d.person_message(lambda: emu.click(d.vanna, d.intro(), TAKE))
        await d.person_message(lambda: emu.send_text(d.vanna, "/close", d.forum, thread_id=thread))
        assert await rows(d.sokh, "SELECT count(*) FROM case_messages") == [(0,)]
        services = d.sokh.services
        assert await purge_cases(services.cases, services.settings) == 1
        assert await rows(d.sokh, "SELECT count(*) FROM cases") == [(0,)]


async def test_whole_conversation_leaves_no_identity_or_words_in_clear(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with desk_dialog(tmp_path) as d:
        d.person.last_name = "Meas"
        await d.open_case(first="they took my passport and I owe the broker money")
        emu, thread = d.sokh.emu, d.topic_id()
        await d.forum_message(lambda: emu.send_text(d.person, PHRASE))
        await d.person_message(lambda: emu.click(d.vanna, d.intro(), TAKE))
        await d.person_message(lambda: emu.send_text(d.vanna, REPLY, d.forum, thread_id=thread))
        [(case_id,)] = await rows(d.sokh, "SELECT id FROM cases")
        for _ in range(100):  # the line is stored just after it is relayed
            transcript = await d.sokh.services.cases.transcript(case_id)
            if ("counsellor", REPLY) in transcript:
                break
            await asyncio.sleep(0.05)
        assert ("person", PHRASE) in transcript and ("counsellor", REPLY) in transcript
        closing = await d.person_message(
            lambda: emu.send_text(d.vanna, "/close", d.forum, thread_id=thread))
        await d.sokh.tap(d.person, closing, "4")
        await d.sokh.settle()
        stored = sqlite_files(tmp_path / "d.db")
    # Raw bytes: the id in every form SQLite may store it; logs with their tracebacks.
    secrets = secrets_of([d.person.id], ["Chanthou", "chanthou_kh", "Meas", PHRASE, REPLY,
                                         "owe the broker"])
    assert leaks({**stored, "logs": log_text(caplog.records)}, secrets) == []
    assert len(caplog.records) > 5, "logging was captured"
