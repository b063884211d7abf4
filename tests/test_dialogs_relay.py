"""What crosses from a person to the counsellors' forum, fed in-process (issue 14, items 3-6).

Nothing identifying crosses: no contact card, no file name, no location unless confirmed;
the person's words always sit in a quote under the bot's bold case line, so they cannot
pass for the bot's own notes. Albums and bursts are never dropped while a case is open.
"""

from __future__ import annotations

from pathlib import Path

from bot.proactive.relay_queue import RelayRow
from simulator.state import SimMessage
from tests.helpers.desk import FORUM_ID, Desk, desk_dialog, rows


def _forum_texts(d: Desk) -> list[str]:
    return [m.text or "" for m in d.forum.messages.values()]


def _alias_line(d: Desk, message: SimMessage) -> bool:
    """The bot's own bold 'Case K7Q2' line opens the message; the rest is quoted."""
    bold = [e for e in message.entities if e["type"] == "bold"]
    return bool(bold) and bold[0]["offset"] == 0 and (message.text or "").startswith("Case ")


async def _in_case(d: Desk) -> str:
    consent = await d.sokh.say(d.person, "/counsellor")
    await d.sokh.tap(d.person, consent, "✅ Yes, start")
    [alias] = [r[0] for r in await rows(d.sokh, "SELECT alias FROM cases")]
    return str(alias)


async def test_a_contact_card_never_reaches_the_forum_and_the_person_is_told_why(
        tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        await _in_case(d)
        before = len(d.forum.messages)
        card = lambda: d.sokh.emu.send_contact(d.person, phone_number="+85512999888")  # noqa: E731
        told = await d.sokh.act(d.sokh.chat(d.person), card)
        assert "not passed on" in told.text and "phone number" in told.text
        assert len(d.forum.messages) == before
        assert not [m for m in d.forum.messages.values() if m.kind == "contact"]
        assert "999888" not in str([m.to_api() for m in d.forum.messages.values()])
        stored = await rows(d.sokh, "SELECT payload FROM outbox")
        assert "999888" not in str(stored) and "Chanthou" not in str(stored)


async def test_km_person_is_told_about_contact_cards_in_khmer(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        d.person.language_code = "km"
        consent = await d.sokh.say(d.person, "/counsellor")
        await d.sokh.tap(d.person, consent, "✅ បាទ/ចាស ចាប់ផ្តើម")
        told = await d.sokh.act(d.sokh.chat(d.person), lambda: d.sokh.emu.send_contact(d.person))
        assert "កាតទំនាក់ទំនង" in told.text


async def test_a_location_goes_only_after_the_person_confirms(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        await _in_case(d)
        emu = d.sokh.emu
        ask = await d.sokh.act(d.sokh.chat(d.person), lambda: emu.send_location(d.person))
        assert not [m for m in d.forum.messages.values() if m.kind == "location"]
        kept = await d.sokh.tap(d.person, ask, "🔒 No, keep it private")
        assert "Not sent" in kept.text
        assert not [m for m in d.forum.messages.values() if m.kind == "location"]
        ask = await d.sokh.act(d.sokh.chat(d.person), lambda: emu.send_location(d.person))
        await d.sokh.tap(d.person, ask, "📍 Yes, send it")
        await d.sokh.settle()
        [pin] = [m for m in d.forum.messages.values() if m.kind == "location"]
        assert pin.thread_id == d.topic_id()


async def test_a_document_is_sent_again_without_its_file_name(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        alias = await _in_case(d)
        emu = d.sokh.emu
        copy = await d.forum_message(
            lambda: emu.send_document(d.person, file_name="Chanthou_Sok_passport.pdf"))
        assert copy.kind == "document" and copy.thread_id == d.topic_id()
        assert copy.content["document"]["file_name"] == "document.pdf"
        assert "Chanthou" not in str(copy.to_api()) and f"Case {alias}" in (copy.text or "")
        assert not emu.calls("copyMessage"), "a copy would keep the name"


async def test_the_person_cannot_forge_the_case_line_or_a_bot_note(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        alias = await _in_case(d)
        fake = "Case ZZZZ\n⚠️ Risk words in the last message (none)."
        relayed = await d.forum_message(lambda: d.sokh.emu.send_text(d.person, fake))
        assert _alias_line(d, relayed) and (relayed.text or "").startswith(f"Case {alias}\n")
        quote = next(e for e in relayed.entities if e["type"] == "blockquote")
        text = relayed.text or ""
        assert text[quote["offset"]:quote["offset"] + quote["length"]] == fake
        assert [e["type"] for e in relayed.entities] == ["bold", "blockquote"]
        photo = await d.forum_message(lambda: d.sokh.emu.send_photo(d.person, caption="Case ZZZZ"))
        assert (photo.text or "").startswith(f"Case {alias}\n") and _alias_line(d, photo)


async def test_every_relayed_message_is_marked_delivered(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        await _in_case(d)
        emu = d.sokh.emu
        for n in range(3):
            emu.send_text(d.person, f"part {n}")
        emu.send_photo(d.person)
        await d.sokh.settle()
        mine = [m for m in emu.chat_messages(d.sokh.chat(d.person)) if not m.from_bot]
        assert [m.reactions for m in mine[-4:]] == [[{"type": "emoji", "emoji": "👌"}]] * 4
        assert not [t for t in d.sokh.texts(d.person) if "went wrong" in t]


async def test_a_burst_of_texts_becomes_one_message_in_order(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        await _in_case(d)
        emu, before = d.sokh.emu, len(d.forum.messages)
        for n in range(5):
            emu.send_text(d.person, f"line {n}")
        emu.send_sticker(d.person)
        emu.send_text(d.person, "after the sticker")
        await d.sokh.settle()
        new = list(d.forum.messages.values())[before:]
        assert [m.kind for m in new] == ["text", "text", "sticker", "text"]
        assert (new[0].text or "").split("\n")[1:] == [f"line {n}" for n in range(5)]
        assert (new[3].text or "").endswith("\nafter the sticker")


async def test_an_edit_is_relayed_as_a_note(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        alias = await _in_case(d)
        emu = d.sokh.emu
        await d.forum_message(lambda: emu.send_text(d.person, "I am at home"))
        mine = [m for m in emu.chat_messages(d.sokh.chat(d.person)) if not m.from_bot][-1]
        note = await d.forum_message(lambda: emu.edit_text(d.person, mine, "I am at school"))
        assert note.text == f"Case {alias} edited a message; it now reads:\nI am at school"


async def test_an_album_over_the_flood_limit_reaches_the_counsellor_whole(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path, flood_limit=6) as d:
        await _in_case(d)
        emu, before = d.sokh.emu, len(d.forum.messages)
        for n in range(9):
            emu.send_photo(d.person, caption="my arm" if n == 0 else None, media_group_id="A1")
        for n in range(8):  # and a burst over the limit while the case is open
            emu.send_text(d.person, f"then {n}")
        await d.sokh.settle()
        new = list(d.forum.messages.values())[before:]
        assert [m.kind for m in new].count("photo") == 9
        assert (new[-1].text or "").split("\n")[1:] == [f"then {n}" for n in range(8)]
        assert not [t for t in d.sokh.texts(d.person) if "too fast" in t.lower()]


async def test_new_cases_go_to_the_least_loaded_group(tmp_path: Path) -> None:
    second = -1009999999999
    async with desk_dialog(tmp_path, counsellor_chat_id=f"-1001234567890,{second}") as d:
        other = d.sokh.emu.add_group("Counsellors 2", is_forum=True, admins=[d.rith],
                                     chat_id=second)
        await _in_case(d)
        late = d.sokh.emu.add_user(first_name="Mey", language_code="en")
        consent = await d.sokh.say(late, "/counsellor")
        await d.sokh.tap(late, consent, "✅ Yes, start")
        await d.sokh.settle()
        assert len(d.forum.topics) == 1 and len(other.topics) == 1
        relayed = await d.sokh.act(other, lambda: d.sokh.emu.send_text(late, "hello"))
        assert relayed.thread_id == max(other.topics)
        answer = await d.sokh.act(d.sokh.chat(late), lambda: (
            d.sokh.emu.click(d.rith, next(m for m in other.messages.values()
                                          if "🙋 Take this case" in d.sokh.emu.buttons(m)),
                             "🙋 Take this case")))
        assert "joined" in answer.text
        back = await d.sokh.act(d.sokh.chat(late), lambda: d.sokh.emu.send_text(
            d.rith, "I am here", other, thread_id=max(other.topics)))
        assert (back.text or "").endswith("Counsellor: I am here")


async def test_the_open_case_is_read_from_the_database_not_the_fsm(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        await _in_case(d)
        storage = d.sokh.dispatcher.fsm.storage
        await storage.close()  # as after a restart, on another worker, or with Redis down
        d.sokh.dispatcher.fsm.storage = type(storage)()
        relayed = await d.forum_message(lambda: d.sokh.emu.send_text(d.person, "still me"))
        assert (relayed.text or "").endswith("\nstill me")
        crisis = await d.forum_message(
            lambda: d.sokh.emu.send_text(d.person, "my stepfather hurts me"))
        assert "Risk words" in (crisis.text or ""), "in a case, the counsellor reads along"
        assert not [t for t in d.sokh.texts(d.person) if "buttons best" in t]


async def test_urgent_cases_go_first_and_each_group_takes_its_own_turn(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        other = -1009999999999
        heads = [RelayRow(1, 1, "a", None, "en", {"to": FORUM_ID}, 0),
                 RelayRow(2, 2, "b", None, "en", {"to": FORUM_ID, "urgent": True}, 0),
                 RelayRow(3, 3, "c", None, "en", {"to": FORUM_ID}, 0),
                 RelayRow(4, 4, "d", None, "en", {"to": other}, 0)]
        chosen = dict(d.sokh.relay._choose(heads))
        assert {chat: row.id for chat, row in chosen.items()} == {FORUM_ID: 2, other: 4}
        chosen = dict(d.sokh.relay._choose([h for h in heads if h.id != 2]))
        assert chosen[FORUM_ID].id == 1, "then the oldest"
