"""The counsellor path fed in-process: a person, the counsellors' forum, and the bot between."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.desk import SHARE, TAKE, desk_dialog, rows


async def test_consent_opens_an_urgent_case_with_a_topic(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        connected = await d.open_case()
        [alias] = [r[0] for r in await rows(d.sokh, "SELECT alias FROM cases")]
        assert f"case {alias}" in connected.text
        topic = d.forum.topics[d.topic_id()]
        assert topic.name == f"🔴 Case {alias} (urgent)"
        general = [m.text or "" for m in d.forum.messages.values() if m.thread_id is None]
        assert any(f"Urgent case {alias}" in line for line in general)
        assert "Chanthou" not in str([m.text for m in d.forum.messages.values()])


async def test_a_reply_too_long_for_the_phone_is_sent_back_to_the_counsellor(
        tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        await d.open_case()
        emu, thread = d.sokh.emu, d.topic_id()
        await d.person_message(lambda: emu.click(d.vanna, d.intro(), TAKE))
        refused = await d.forum_message(
            lambda: emu.send_text(d.vanna, "listen " * 600, d.forum, thread_id=thread))
        assert "too long" in refused.text and "4,000" in refused.text
        fits = await d.person_message(
            lambda: emu.send_text(d.vanna, "x" * 4000, d.forum, thread_id=thread))
        assert (fits.text or "").endswith("x" * 4000) and len(fits.text or "") <= 4096


async def test_photos_and_voice_notes_are_copied_both_ways(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        await d.open_case()
        emu, thread = d.sokh.emu, d.topic_id()
        await d.person_message(lambda: emu.click(d.vanna, d.intro(), TAKE))
        photo = await d.forum_message(lambda: emu.send_photo(d.person, caption="my arm"))
        voice = await d.forum_message(lambda: emu.send_voice(d.person))
        assert (photo.kind, photo.thread_id, voice.kind) == ("photo", thread, "voice")
        sizes = [{"file_id": "p1", "file_unique_id": "p1u", "width": 90, "height": 60}]
        back = await d.person_message(lambda: emu.user_message(
            d.vanna, d.forum, "photo", thread_id=thread, content={"photo": sizes}, text="map"))
        # She wrote moments ago: a live conversation, so no neutral first line.
        assert back.kind == "photo" and back.text == "Counsellor: map"
        back = await d.person_message(lambda: emu.user_message(
            d.vanna, d.forum, "voice", thread_id=thread,
            content={"voice": {"file_id": "v1", "file_unique_id": "v1u", "duration": 2}}))
        assert back.kind == "voice" and back.text == "Counsellor:"


async def test_close_rating_and_audit(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        await d.open_case()
        emu, thread = d.sokh.emu, d.topic_id()
        await d.person_message(lambda: emu.click(d.vanna, d.intro(), TAKE))
        closing = await d.person_message(
            lambda: emu.send_text(d.vanna, "/close", d.forum, thread_id=thread))
        assert "ended this conversation" in closing.text
        assert emu.buttons(closing)[:5] == ["1", "2", "3", "4", "5"]
        await d.sokh.settle()
        assert d.forum.topics[thread].closed
        await d.sokh.tap(d.person, closing, "5")
        assert await rows(d.sokh, "SELECT status, rating FROM cases") == [("closed", 5)]
        audit = await rows(d.sokh, "SELECT action, counsellor_id FROM case_audit ORDER BY id")
        assert audit == [("take", d.vanna.id), ("close", d.vanna.id)]
        after = await d.sokh.say(d.person, "thanks again")
        assert "What would you like to do?" in after.text, "the relay ended with the case"


async def test_a_stranger_cannot_take_a_case(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        await d.open_case()
        stranger = d.sokh.emu.add_user(first_name="Stranger", username="stranger")
        d.sokh.emu.click(stranger, d.intro(), TAKE)
        await d.sokh.settle()
        assert await rows(d.sokh, "SELECT status FROM cases") == [("waiting",)]
        assert TAKE in d.sokh.emu.buttons(d.intro()), "the intro is left as it was"


async def test_a_counsellor_is_told_when_the_person_blocked_the_bot(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        await d.open_case()
        emu, thread = d.sokh.emu, d.topic_id()
        await d.person_message(lambda: emu.click(d.vanna, d.intro(), TAKE))
        emu.block(d.person)
        await d.sokh.settle()
        note = await d.forum_message(
            lambda: emu.send_text(d.vanna, "are you safe?", d.forum, thread_id=thread))
        assert "blocked the bot" in note.text
        emu._errors.clear()  # the refused send to the blocked person is the point of the test


async def test_a_group_that_is_no_forum_gets_the_hotlines_honestly(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        d.forum.is_forum = False
        crisis = await d.sokh.say(d.person, "my stepfather hurts me")
        consent = await d.sokh.tap(d.person, crisis, "💬 Talk to a counsellor")
        answer = await d.sokh.tap(d.person, consent, SHARE)
        assert "not ready yet" in answer.text and "1280" in answer.text
        assert await rows(d.sokh, "SELECT status FROM cases") == [("closed",)]
        d.sokh.emu._errors.clear()  # Telegram refused createForumTopic, as it should


async def test_risk_words_inside_a_case_are_flagged_to_the_counsellor(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        consent = await d.sokh.say(d.person, "/counsellor")
        await d.sokh.tap(d.person, consent, "✅ Yes, start")
        await d.sokh.settle()
        emu, thread = d.sokh.emu, d.topic_id()
        assert not d.forum.topics[thread].name.startswith("🔴"), "not urgent from the menu"
        note = await d.sokh.act(d.forum, lambda: emu.send_text(
            d.person, "he said he will kill me tonight"), lambda m: "Risk" in (m.text or ""))
        assert note.thread_id == thread and "Risk words in the last message" in note.text
        # One message: the person's words in the quote, the bot's flag below it, outside.
        quote, flag = note.text.split("\n")[1], note.text.split("\n")[-1]
        assert quote == "he said he will kill me tonight" and "Risk words" in flag
        assert "kill me" not in flag, "the flag names a category, not the words"
