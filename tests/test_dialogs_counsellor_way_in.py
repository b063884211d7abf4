"""The way into a case, fed in-process (issue 14, item 7): the crisis card stays, a short
consent in the language she wrote in, her first message carried in, the forum's notes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from simulator.state import SimMessage
from tests.helpers.desk import FRESH, SHARE, TAKE, Desk, desk_dialog, rows
from tests.test_dialogs_counsellor_privacy import FakeClock

FIRST = "my stepfather hurts me and I am scared to go home"
NEUTRAL = "You have a new message from Sokh."


def topic_messages(d: Desk) -> list[SimMessage]:
    """The case topic's messages, oldest first, without the service message opening it."""
    thread = d.topic_id()
    return [m for m in d.sokh.emu.chat_messages(d.forum)
            if m.thread_id == thread and not m.kind.startswith("forum_topic")]


async def test_the_crisis_card_stays_and_the_consent_is_short(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        crisis = await d.sokh.say(d.person, FIRST)
        card = crisis.text
        consent = await d.sokh.tap(d.person, crisis, "💬 Talk to a counsellor")
        assert consent.message_id != crisis.message_id, "a new message, not an edit"
        assert crisis.text == card and "1280" in crisis.text and crisis.edits == 0
        assert consent.reply_to is not None and consent.reply_to.text == FIRST
        bullets = [line for line in consent.text.splitlines() if line.startswith("•")]
        assert len(bullets) == 3 and "until 30 days after" in consent.text
        full = await d.sokh.tap(d.person, consent, "ℹ️ More: who reads, what is kept, hours")
        assert full.message_id == consent.message_id, "More opens in place"
        assert "private topic for your case number" in full.text and "/forget" in full.text
        assert SHARE in d.sokh.buttons(full) and FRESH in d.sokh.buttons(full)


async def test_the_consent_comes_in_the_language_she_wrote_in(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        d.person.language_code = "km"  # her phone is in Khmer; she writes in English
        crisis = await d.sokh.say(d.person, FIRST)
        consent = await d.sokh.tap(d.person, crisis, "💬 Talk to a counsellor")
        assert "never see your name" in consent.text
        connected = await d.sokh.tap(d.person, consent, SHARE)
        assert "in the queue" in connected.text
        assert await rows(d.sokh, "SELECT language FROM cases") == [("en",)]


async def test_a_chosen_language_wins_over_the_script(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        start = await d.sokh.say(d.person, "/start")
        await d.sokh.tap(d.person, start, "ខ្មែរ")
        crisis = await d.sokh.say(d.person, FIRST)
        # The card follows the script she wrote in; the consent, the language she chose.
        consent = await d.sokh.tap(d.person, crisis, "💬 Talk to a counsellor")
        assert "អ្នកប្រឹក្សា" in consent.text and "never see" not in consent.text


async def test_her_first_message_is_carried_into_the_case(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        connected = await d.open_case(FIRST)
        assert connected.text.startswith("✅ What you wrote is passed on to the counsellors")
        intro, copy = topic_messages(d)[:2]
        assert TAKE in d.sokh.buttons(intro) and "/close" in intro.text
        assert FIRST in (copy.text or "") and copy.text != FIRST, "under the case's own line"
        [mine] = [m for m in d.sokh.emu.chat_messages(d.sokh.chat(d.person)) if m.text == FIRST]
        assert mine.reactions == [{"type": "emoji", "emoji": "👌"}], "she sees it arrived"
        [(case_id,)] = await rows(d.sokh, "SELECT id FROM cases")
        assert await d.sokh.services.cases.transcript(case_id) == [("person", FIRST)]
        [(sealed,)] = await rows(d.sokh, "SELECT body_enc FROM case_messages")
        assert "scared" not in sealed, "kept encrypted, like every case message"
        assert not d.sokh.calls("forwardMessage")


async def test_without_her_consent_nothing_is_carried(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        connected = await d.open_case(FIRST, choice=FRESH)
        assert "reached the counsellors" not in connected.text
        assert [m.text for m in topic_messages(d)][1:] == []
        assert await rows(d.sokh, "SELECT count(*) FROM case_messages") == [(0,)]


async def test_taking_updates_the_topic_note_and_the_urgent_announcement(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        await d.open_case(FIRST)
        [(alias,)] = await rows(d.sokh, "SELECT alias FROM cases")
        announce = next(m for m in d.forum.messages.values()
                        if m.thread_id is None and f"Urgent case {alias}" in (m.text or ""))
        intro = d.intro()
        await d.person_message(lambda: d.sokh.emu.click(d.vanna, intro, TAKE))
        assert "taken by Vanna" in intro.text and "/close" in intro.text
        assert d.sokh.buttons(intro) == [], "no Take button once taken"
        assert announce.text == f"🟢 Urgent case {alias} was taken by Vanna."


async def test_the_neutral_line_only_opens_a_message_after_a_silence(tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 1, 5, 3, 0, tzinfo=UTC))
    async with desk_dialog(tmp_path, clock=clock) as d:
        emu = d.sokh.emu
        await d.open_case(FIRST)
        await d.person_message(lambda: emu.click(d.vanna, d.intro(), TAKE))

        async def say(text: str) -> SimMessage:
            return await d.person_message(
                lambda: emu.send_text(d.vanna, text, d.forum, thread_id=d.topic_id()))

        assert (await say("I am here.")).text == "Counsellor: I am here."
        clock.now += timedelta(minutes=4)
        assert (await say("Are you safe?")).text == "Counsellor: Are you safe?"
        clock.now += timedelta(minutes=11)  # she has not written for 15 minutes
        after = await say("Are you still there?")
        assert after.text == f"{NEUTRAL}\n\nCounsellor: Are you still there?"
        await d.forum_message(lambda: emu.send_text(d.person, "yes sorry"))
        assert (await say("Good.")).text == "Counsellor: Good."
