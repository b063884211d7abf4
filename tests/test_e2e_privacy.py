"""After a whole conversation, neither the database nor the logs hold who the person is."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.helpers.harness import running_bot
from tests.helpers.leaks import leaks, log_text, secrets_of, sqlite_files

PHRASE = "my neighbour Sreymom in Kampot village"


async def test_no_identity_or_message_text_in_database_or_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    database = tmp_path / "sokh.db"
    async with running_bot(f"sqlite+aiosqlite:///{database}") as sokh:
        person = sokh.emu.add_user(first_name="Chanthou", username="chanthou_kh",
                                   last_name="Meas", language_code="en")
        choice = await sokh.say(person, "/start")
        menu = await sokh.tap(person, choice, "English")
        topics = await sokh.tap(person, menu, "👪 Parenting tips")
        await sokh.tap(person, topics, "One-on-one time")
        await sokh.say(person, PHRASE)
        sokh.emu.send_sticker(person)
        await sokh.emu.wait_idle()
    # Raw bytes: the id in every form SQLite may store it; logs with their tracebacks.
    kept = {**sqlite_files(database), "logs": log_text(caplog.records)}
    secrets = secrets_of([person.id], ["Chanthou", "chanthou_kh", "Meas", PHRASE])
    assert leaks(kept, secrets) == []
    assert len(caplog.records) > 5, "logging was captured"
