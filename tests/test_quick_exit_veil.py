"""After a Hide, what Sokh sends on its own is fully neutral until the person comes back.

A counsellor's next reply or the next course tip must not land in full on a screen that was
just cleared: only the neutral line and a Read button, whatever the person's notification
style, until they write or tap again (issue 15, docs/quick-exit.md).
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers.course import course_bot, join, query
from tests.helpers.desk import TAKE, desk_dialog
from tests.test_discreet_notifications import LISTEN, NEUTRAL, READ, counsellor_says


async def test_after_a_hide_a_counsellor_reply_waits_behind_read(tmp_path: Path) -> None:
    async with desk_dialog(tmp_path) as d:
        emu, trail = d.sokh.emu, d.sokh.services.quick_exit.trail
        await d.open_case()
        await d.person_message(lambda: emu.click(d.vanna, d.intro(), TAKE))
        await d.sokh.say(d.person, "/hide")
        await trail.flush()
        note = await counsellor_says(d, LISTEN)
        assert (note.text, emu.buttons(note)) == (NEUTRAL, [READ]), "nothing of it on screen"
        shown = await d.sokh.tap(d.person, note, READ)
        assert shown.message_id == note.message_id and shown.text == f"Counsellor: {LISTEN}"
        await trail.flush()  # the tap was the person opening Sokh again
        again = await counsellor_says(d, "Are you safe now?")
        # Her own style again: she wrote in the case minutes ago, so the chat is live and the
        # neutral first line is left out (docs/counsellor.md).
        assert again.text == "Counsellor: Are you safe now?", "their own style"


async def test_after_a_hide_the_next_tip_is_veiled_and_read_shows_it(db_url: str) -> None:
    async with course_bot(db_url) as c:
        sokh = c.sokh
        c.at(1, 6)  # inside the quiet hours: the first tip comes at the chosen 19:00
        parent, other = sokh.emu.add_user(language_code="en"), sokh.emu.add_user(
            language_code="en")
        await join(c, parent)
        await join(c, other)
        await sokh.say(parent, "/hide")
        await sokh.settle()
        await sokh.services.quick_exit.trail.flush()
        c.at(1, 19)
        veiled = await c.tick(parent)
        assert veiled is not None and (veiled.text, sokh.emu.buttons(veiled)) == (NEUTRAL, [READ])
        plain = sokh.emu.last_bot_message(sokh.chat(other))
        assert plain is not None and (plain.text or "").startswith("📬 Tip 1 of"), "others not"
        shown = await sokh.tap(parent, veiled, READ)
        assert shown.message_id == veiled.message_id and shown.text == plain.text
        assert sokh.emu.buttons(shown) == sokh.emu.buttons(plain), "the tip's own buttons"
        delivered = await query(c, "SELECT count(*) FROM deliveries")
        assert delivered == [(2,)], "a veiled tip still counts as reaching the person"
        await sokh.settle()
        await sokh.services.quick_exit.trail.flush()
        assert await query(c, "SELECT hidden_at FROM trail_state WHERE hidden_at IS NOT NULL") \
            == [], "opening Sokh lifted the veil"


async def test_a_stranger_cannot_read_someone_elses_veiled_message(db_url: str) -> None:
    async with course_bot(db_url) as c:
        sokh = c.sokh
        c.at(1, 6)  # inside the quiet hours: the first tip comes at the chosen 19:00
        parent, stranger = (sokh.emu.add_user(language_code="en") for _ in range(2))
        await join(c, parent)
        await sokh.say(parent, "/hide")
        await sokh.settle()
        await sokh.services.quick_exit.trail.flush()
        c.at(1, 19)
        veiled = await c.tick(parent)
        assert veiled is not None
        [(row_id,)] = await query(c, "SELECT id FROM outbox WHERE status = 'sent'")
        own = await sokh.say(stranger, "/start")
        query_id = sokh.emu.click_raw(stranger, own.message_id, f"nr:o:{row_id}")
        await sokh.settle()
        answer = sokh.emu.callback_answer(query_id) or {}
        assert answer.get("show_alert") and "no longer here" in str(answer.get("text"))
        seen = " ".join(m.text or "" for m in sokh.emu.chat_messages(sokh.chat(stranger)))
        assert "Tip 1" not in seen
