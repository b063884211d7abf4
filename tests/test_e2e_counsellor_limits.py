"""The way into a case and the forum's retention over real HTTP, with Telegram's flood limits
enforced by the emulator (about 20 bot messages a minute into one group, 429 retry_after)."""

from __future__ import annotations

import time
from collections.abc import Callable

from simulator.state import SimMessage, SimUser
from tests.helpers.desk import SHARE, TAKE, Desk, desk, rows

CASES = 8  # each opens with 3 group messages (note, her first message, announcement): 24 > 20


async def _consent(d: Desk, n: int) -> tuple[SimUser, SimMessage]:
    """A new person writes risk words and asks for a counsellor; return them and the consent."""
    person = d.sokh.emu.add_user(first_name=f"P{n}", username=f"p{n}", language_code="en")
    crisis = await d.sokh.say(person, f"my stepfather hurts me, this is girl {n}")
    return person, await d.sokh.tap(person, crisis, "💬 Talk to a counsellor")


async def _wait_for(d: Desk, done: Callable[[], bool], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "the forum did not get every note in time"
        await d.sokh.emu.wait_changed(0.2)


async def test_cases_opened_at_once_lose_no_note_under_the_group_limit(db_url: str) -> None:
    async with desk(db_url, limits=True) as d:
        consents = [await _consent(d, n) for n in range(CASES)]
        for person, consent in consents:  # all at once: the group's bucket runs dry
            d.sokh.emu.click(person, consent, SHARE)
        forum = d.forum

        def texts() -> list[str]:
            return [m.text or "" for m in forum.messages.values() if not m.deleted]

        await _wait_for(d, lambda: sum("this is girl" in t for t in texts()) == CASES
                        and sum("Urgent case" in t for t in texts()) == CASES)
        await d.sokh.settle()
        into_group = [r for r in d.sokh.emu.requests if r.ok
                      and r.method.lower() in ("sendmessage", "copymessage")
                      and r.params.get("chat_id") == forum.id]
        assert len(into_group) > 20, "more than the group's bucket: its limit really applied"
        for n in range(CASES):
            assert sum(f"this is girl {n}" in t for t in texts()) == 1
        connected = [d.sokh.emu.last_bot_message(d.sokh.chat(p)) for p, _ in consents]
        assert all(m is not None and "passed on to the counsellors" in (m.text or "")
                   for m in connected), "each was told, none got an error"
        firsts = [m for p, _ in consents for m in d.sokh.emu.chat_messages(d.sokh.chat(p))
                  if not m.from_bot and "this is girl" in (m.text or "")]
        assert len(firsts) == CASES and all(m.reactions for m in firsts), "👌: it arrived"
        assert await rows(d.sokh, "SELECT count(*) FROM case_messages") == [(CASES,)]


async def test_zero_retention_deletes_the_topic_over_http(db_url: str) -> None:
    async with desk(db_url, limits=True, case_retention_days=0) as d:
        emu = d.sokh.emu
        await d.open_case("my stepfather hurts me, help")
        thread = d.topic_id()
        emu.send_text(d.person, "he is drunk again")
        await _wait_for(d, lambda: any("drunk" in (m.text or "") for m in d.forum.messages.values())
                        and any(TAKE in emu.buttons(m) for m in d.forum.messages.values()))
        await d.person_message(lambda: emu.click(d.vanna, d.intro(), TAKE))
        closing = await d.person_message(
            lambda: emu.send_text(d.vanna, "/close", d.forum, thread_id=thread))
        assert "being deleted now" in closing.text
        await _wait_for(d, lambda: thread not in d.forum.topics)
        await d.sokh.settle()
        words = [m.text or "" for m in emu.chat_messages(d.forum)]
        assert not any("drunk" in w or "stepfather" in w for w in words)
        assert any("its topic was deleted" in w for w in words)
        assert await rows(d.sokh, "SELECT count(*) FROM forum_cleanup") == [(0,)]
