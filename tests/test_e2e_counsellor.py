"""The counsellor relay end to end over real HTTP, on both databases."""

# The rest of the counsellor path is tested in-process in test_dialogs_counsellor.py.

from __future__ import annotations

from tests.helpers.desk import FRESH, TAKE, desk, rows

__all__ = ["TAKE"]


async def test_relay_both_ways_and_a_second_counsellor_is_refused(db_url: str) -> None:
    async with desk(db_url) as d:
        await d.open_case(choice=FRESH)  # her first message is not the subject here
        emu, thread = d.sokh.emu, d.topic_id()
        # Paced: the topic's note and the urgent announcement go first, 3 s apart.
        copied = await d.sokh.act(d.forum, lambda: emu.send_text(d.person, "are you there?"),
                                  lambda m: "are you there?" in (m.text or ""), timeout=15)
        [alias] = [r[0] for r in await rows(d.sokh, "SELECT alias FROM cases")]
        assert copied.text == f"Case {alias}\nare you there?" and copied.thread_id == thread
        assert [e["type"] for e in copied.entities] == ["bold", "blockquote"]
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
        # She wrote moments ago: a live conversation, so no neutral first line.
        assert answer.text == "Counsellor: I am here to listen."
        assert "Vanna" not in answer.text
