"""Auto-clean end to end: 'Clean up after me' clears a sensitive chat after N silent minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

from dialogs.quick_exit.jobs import clean_due, purge_trail
from simulator.emulator import BotApiEmulator
from simulator.state import SimUser
from tests.helpers.harness import TOKEN, Harness, running_bot, serving

OFF, ON = "🧹 Clean up after me: off", "🧹 Clean up after me: on"
MENU_TITLE = "What would you like to do?"
FORUM_ID = -1001234567890


class MovableClock:
    """The bot's injectable clock, moved by the test instead of sleeping."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move time forward."""
        self.now += timedelta(**delta)


async def switch_on(sokh: Harness, person: SimUser) -> None:
    """Menu → Settings → 'Clean up after me'."""
    menu = await sokh.say(person, "/menu")
    settings = await sokh.tap(person, menu, "⚙️ Settings")
    assert OFF in sokh.emu.buttons(settings), "off unless chosen"
    settings = await sokh.tap(person, settings, OFF)
    assert ON in sokh.emu.buttons(settings)


async def settle(sokh: Harness) -> None:
    """Let the bot finish and write its buffered trail."""
    await sokh.emu.wait_idle()
    await sokh.app.services.quick_exit.trail.flush()


async def clean(sokh: Harness) -> int:
    """Run the periodic auto-clean job once, as the scheduler would."""
    cleaned = await clean_due(sokh.app.bot, sokh.app.services.quick_exit)
    await sokh.emu.wait_idle()
    return cleaned


def visible(sokh: Harness, person: SimUser) -> list[str | None]:
    """The texts the person's chat still shows."""
    return [m.text for m in sokh.emu.chat_messages(sokh.chat(person))]


async def test_auto_clean_runs_after_the_silence_and_not_before(db_url: str) -> None:
    clock = MovableClock()
    async with running_bot(db_url, clock) as sokh:
        child = sokh.emu.add_user(language_code="en")
        await switch_on(sokh, child)
        await sokh.say(child, "my stepfather hurts me")
        await settle(sokh)
        clock.advance(minutes=14)
        assert await clean(sokh) == 0 and len(visible(sokh, child)) > 2
        await sokh.say(child, "are you there")  # any message restarts the silence
        await settle(sokh)
        clock.advance(minutes=14)
        assert await clean(sokh) == 0, "only 14 minutes since the last message"
        clock.advance(minutes=2)
        assert await clean(sokh) == 1
        assert visible(sokh, child) == [MENU_TITLE]
        menu = sokh.emu.calls("sendMessage")[-1].params
        assert menu.get("disable_notification") is True, "no buzz from a clean-up"
        clock.advance(hours=1)
        assert await clean(sokh) == 0, "cleaned once, not again"
    assert not sokh.emu.errors, [(r.method, r.description) for r in sokh.emu.errors]


async def test_nothing_is_cleaned_for_people_who_did_not_ask(db_url: str) -> None:
    clock = MovableClock()
    async with running_bot(db_url, clock) as sokh:
        child = sokh.emu.add_user(language_code="en")
        await sokh.say(child, "my stepfather hurts me")
        await settle(sokh)
        clock.advance(hours=3)
        assert await clean(sokh) == 0 and len(visible(sokh, child)) == 2


async def test_ordinary_chats_are_not_cleaned(db_url: str) -> None:
    clock = MovableClock()
    async with running_bot(db_url, clock) as sokh:
        parent = sokh.emu.add_user(language_code="en")
        await switch_on(sokh, parent)
        await settle(sokh)
        clock.advance(hours=1)
        assert await clean(sokh) == 0, "no sensitive screen was shown"


async def test_a_restart_in_between_loses_nothing(tmp_path: Path) -> None:
    clock, url = MovableClock(), f"sqlite+aiosqlite:///{tmp_path / 'sokh.db'}"
    async with BotApiEmulator(token=TOKEN) as emu:
        async with serving(emu, url, clock) as sokh:
            child = emu.add_user(language_code="en")
            await switch_on(sokh, child)
            await sokh.say(child, "my stepfather hurts me")
            await emu.wait_idle()
            # Stopped at once: the last ids are still in the buffer; shutdown writes them.
        clock.advance(minutes=16)
        async with serving(emu, url, clock) as sokh:
            assert await clean(sokh) == 1
            assert visible(sokh, child) == [MENU_TITLE]
        # The first run's pending long poll is cut off by the second run, as Telegram would.
        refused = [(r.method, r.description) for r in emu.errors if r.method != "getUpdates"]
        assert not refused, refused


async def test_ids_past_48_hours_are_purged_and_the_person_told(db_url: str) -> None:
    clock = MovableClock()
    async with running_bot(db_url, clock) as sokh:
        child = sokh.emu.add_user(language_code="en")
        await sokh.say(child, "my stepfather hurts me")
        await settle(sokh)
        clock.advance(hours=49)
        assert await purge_trail(sokh.app.services.quick_exit) == 2
        assert await rows(sokh, "SELECT * FROM trail_messages") == []
        menu = await sokh.say(child, "/hide")
        assert "older than 2 days could not be removed" in (menu.text or "")


async def test_consent_screen_offers_clean_up(db_url: str) -> None:
    settings: dict[str, Any] = {"counsellor_chat_id": FORUM_ID, "counsellor_language": "en",
                                "counsellor_open_hour": 0, "counsellor_close_hour": 24}
    async with running_bot(db_url, **settings) as sokh:
        person = sokh.emu.add_user(language_code="en")
        menu = await sokh.say(person, "/menu")
        consent = await sokh.tap(person, menu, "💬 Talk to a counsellor")
        consent = await sokh.tap(person, consent, OFF)
        assert ON in sokh.emu.buttons(consent) and "✅ Yes, start" in sokh.emu.buttons(consent)
        assert await rows(sokh, "SELECT auto_clean FROM trail_state") in ([(1,)], [(True,)])
        settings_screen = await sokh.tap(person, await sokh.say(person, "/menu"), "⚙️ Settings")
        assert ON in sokh.emu.buttons(settings_screen), "one setting, two places"
        again = await sokh.say(person, "/counsellor")
        assert ON in sokh.emu.buttons(again), "the consent screen shows the setting in force"


async def rows(sokh: Harness, sql: str) -> list[tuple[Any, ...]]:
    """Raw rows, to check what storage really holds."""
    async with sokh.app.services.engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(text(sql))]
