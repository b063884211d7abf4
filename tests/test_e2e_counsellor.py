"""The counsellor path end to end: a person, the counsellors' forum, and the bot between them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from simulator.state import SimChat, SimMessage, SimUser
from tests.helpers.harness import Harness, running_bot

FORUM_ID = -1001234567890
TAKE = "🙋 Take this case"


@dataclass
class Desk:
    """A running bot with a counsellors' forum, two counsellors and a person."""

    sokh: Harness
    forum: SimChat
    vanna: SimUser
    rith: SimUser
    person: SimUser

    async def forum_message(self, action: Any, timeout: float = 5.0) -> SimMessage:
        """Do something and return the bot's next message in the forum."""
        waiting = self.sokh.emu.wait_for_bot_message(self.forum, timeout)
        action()
        return await waiting

    async def person_message(self, action: Any) -> SimMessage:
        """Do something and return the bot's next message to the person."""
        waiting = self.sokh.emu.wait_for_bot_message(self.sokh.chat(self.person), 5.0)
        action()
        return await waiting

    async def open_case(self, first: str = "my stepfather hurts me") -> SimMessage:
        """Crisis reply → offer → consent → case; return the 'connected' screen."""
        crisis = await self.sokh.say(self.person, first)
        consent = await self.sokh.tap(self.person, crisis, "💬 Talk to a counsellor")
        assert "will not see your name" in consent.text
        connected = await self.sokh.tap(self.person, consent, "✅ Yes, start")
        await self.sokh.emu.wait_idle()
        return connected

    def topic_id(self) -> int:
        """The thread of the newest case topic."""
        return max(self.forum.topics)

    def intro(self) -> SimMessage:
        """The topic's first bot message, holding the Take button."""
        return next(m for m in self.forum.messages.values() if TAKE in self.sokh.emu.buttons(m))


@asynccontextmanager
async def desk(db_url: str, **overrides: Any) -> AsyncIterator[Desk]:
    """Start the bot with counsellors on duty around the clock, unless overridden."""
    values = {"counsellor_chat_id": FORUM_ID, "counsellor_language": "en",
              "counsellor_open_hour": 0, "counsellor_close_hour": 24, **overrides}
    async with running_bot(db_url, **values) as sokh:
        emu = sokh.emu
        vanna = emu.add_user(first_name="Vanna", username="vanna_c", language_code="en")
        rith = emu.add_user(first_name="Rith", username="rith_c", language_code="en")
        forum = emu.add_group("Counsellors", is_forum=True, admins=[vanna], members=[rith],
                              chat_id=FORUM_ID)
        person = emu.add_user(first_name="Chanthou", username="chanthou_kh", language_code="en")
        yield Desk(sokh, forum, vanna, rith, person)
    assert not sokh.emu.errors, [(r.method, r.description) for r in sokh.emu.errors]
    assert not sokh.emu.calls("forwardMessage"), "relays copy, never forward"


async def rows(sokh: Harness, sql: str) -> list[tuple[Any, ...]]:
    """Raw rows, to check what storage really holds."""
    async with sokh.app.services.engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(text(sql))]


async def test_consent_opens_an_urgent_case_with_a_topic(db_url: str) -> None:
    async with desk(db_url) as d:
        connected = await d.open_case()
        [alias] = [r[0] for r in await rows(d.sokh, "SELECT alias FROM cases")]
        assert f"case {alias}" in connected.text
        topic = d.forum.topics[d.topic_id()]
        assert topic.name == f"🔴 Case {alias} (urgent)"
        general = [m.text or "" for m in d.forum.messages.values() if m.thread_id is None]
        assert any(f"Urgent case {alias}" in line for line in general)
        assert "Chanthou" not in str([m.text for m in d.forum.messages.values()])


async def test_relay_both_ways_and_a_second_counsellor_is_refused(db_url: str) -> None:
    async with desk(db_url) as d:
        await d.open_case()
        emu, thread = d.sokh.emu, d.topic_id()
        copied = await d.forum_message(lambda: emu.send_text(d.person, "are you there?"))
        assert copied.text == "are you there?" and copied.thread_id == thread
        intro = d.intro()
        joined = await d.person_message(lambda: emu.click(d.vanna, intro, TAKE))
        assert "A counsellor has joined" in joined.text
        assert "taken by Vanna" in intro.text
        query = emu.click_raw(d.rith, intro.message_id, "kt:1", d.forum)
        await emu.wait_idle()
        assert "already taken" in (emu.callback_answer(query) or {}).get("text", "")
        refused = await d.forum_message(
            lambda: emu.send_text(d.rith, "hello", d.forum, thread_id=thread))
        assert "not yours" in refused.text
        answer = await d.person_message(
            lambda: emu.send_text(d.vanna, "I am here to listen.", d.forum, thread_id=thread))
        assert answer.text.endswith("\n\nCounsellor: I am here to listen.")  # after a neutral line
        assert "Vanna" not in answer.text


async def test_a_reply_too_long_for_the_phone_is_sent_back_to_the_counsellor(
        db_url: str) -> None:
    async with desk(db_url) as d:
        await d.open_case()
        emu, thread = d.sokh.emu, d.topic_id()
        await d.person_message(lambda: emu.click(d.vanna, d.intro(), TAKE))
        refused = await d.forum_message(
            lambda: emu.send_text(d.vanna, "listen " * 600, d.forum, thread_id=thread))
        assert "too long" in refused.text and "4,000" in refused.text
        fits = await d.person_message(
            lambda: emu.send_text(d.vanna, "x" * 4000, d.forum, thread_id=thread))
        assert (fits.text or "").endswith("x" * 4000) and len(fits.text or "") <= 4096


async def test_photos_and_voice_notes_are_copied_both_ways(db_url: str) -> None:
    async with desk(db_url) as d:
        await d.open_case()
        emu, thread = d.sokh.emu, d.topic_id()
        await d.person_message(lambda: emu.click(d.vanna, d.intro(), TAKE))
        photo = await d.forum_message(lambda: emu.send_photo(d.person, caption="my arm"))
        voice = await d.forum_message(lambda: emu.send_voice(d.person))
        assert (photo.kind, photo.thread_id, voice.kind) == ("photo", thread, "voice")
        sizes = [{"file_id": "p1", "file_unique_id": "p1u", "width": 90, "height": 60}]
        back = await d.person_message(lambda: emu.user_message(
            d.vanna, d.forum, "photo", thread_id=thread, content={"photo": sizes}, text="map"))
        assert back.kind == "photo" and back.text.endswith("\n\nCounsellor: map")
        back = await d.person_message(lambda: emu.user_message(
            d.vanna, d.forum, "voice", thread_id=thread,
            content={"voice": {"file_id": "v1", "file_unique_id": "v1u", "duration": 2}}))
        assert back.kind == "voice" and back.text.endswith("\n\nCounsellor:")


async def test_close_rating_and_audit(db_url: str) -> None:
    async with desk(db_url) as d:
        await d.open_case()
        emu, thread = d.sokh.emu, d.topic_id()
        await d.person_message(lambda: emu.click(d.vanna, d.intro(), TAKE))
        closing = await d.person_message(
            lambda: emu.send_text(d.vanna, "/close", d.forum, thread_id=thread))
        assert "ended this conversation" in closing.text
        assert emu.buttons(closing)[:5] == ["1", "2", "3", "4", "5"]
        await emu.wait_idle()
        assert d.forum.topics[thread].closed
        await d.sokh.tap(d.person, closing, "5")
        assert await rows(d.sokh, "SELECT status, rating FROM cases") == [("closed", 5)]
        audit = await rows(d.sokh, "SELECT action, counsellor_id FROM case_audit ORDER BY id")
        assert audit == [("take", d.vanna.id), ("close", d.vanna.id)]
        after = await d.sokh.say(d.person, "thanks again")
        assert "What would you like to do?" in after.text, "the relay ended with the case"


async def test_a_stranger_cannot_take_a_case(db_url: str) -> None:
    async with desk(db_url) as d:
        await d.open_case()
        stranger = d.sokh.emu.add_user(first_name="Stranger", username="stranger")
        d.sokh.emu.click(stranger, d.intro(), TAKE)
        await d.sokh.emu.wait_idle()
        assert await rows(d.sokh, "SELECT status FROM cases") == [("waiting",)]
        assert TAKE in d.sokh.emu.buttons(d.intro()), "the intro is left as it was"


async def test_a_counsellor_is_told_when_the_person_blocked_the_bot(db_url: str) -> None:
    async with desk(db_url) as d:
        await d.open_case()
        emu, thread = d.sokh.emu, d.topic_id()
        await d.person_message(lambda: emu.click(d.vanna, d.intro(), TAKE))
        emu.block(d.person)
        await emu.wait_idle()
        note = await d.forum_message(
            lambda: emu.send_text(d.vanna, "are you safe?", d.forum, thread_id=thread))
        assert "blocked the bot" in note.text
        emu._errors.clear()  # the refused send to the blocked person is the point of the test


async def test_a_group_that_is_no_forum_gets_the_hotlines_honestly(db_url: str) -> None:
    async with desk(db_url) as d:
        d.forum.is_forum = False
        crisis = await d.sokh.say(d.person, "my stepfather hurts me")
        consent = await d.sokh.tap(d.person, crisis, "💬 Talk to a counsellor")
        answer = await d.sokh.tap(d.person, consent, "✅ Yes, start")
        assert "not ready yet" in answer.text and "1280" in answer.text
        assert await rows(d.sokh, "SELECT status FROM cases") == [("closed",)]
        d.sokh.emu._errors.clear()  # Telegram refused createForumTopic, as it should


async def test_risk_words_inside_a_case_are_flagged_to_the_counsellor(db_url: str) -> None:
    async with desk(db_url) as d:
        consent = await d.sokh.say(d.person, "/counsellor")
        await d.sokh.tap(d.person, consent, "✅ Yes, start")
        await d.sokh.emu.wait_idle()
        emu, thread = d.sokh.emu, d.topic_id()
        assert not d.forum.topics[thread].name.startswith("🔴"), "not urgent from the menu"
        flagged = emu.wait_for_bot_message(d.forum, 5.0, lambda m: "Risk" in (m.text or ""))
        emu.send_text(d.person, "he said he will kill me tonight")
        note = await flagged
        assert note.thread_id == thread and "Risk words in the last message" in note.text
        assert "kill me" not in note.text, "the flag names a category, not the words"
