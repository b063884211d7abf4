"""The referral flow and quiz polls, end to end through the emulator on both databases."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from tests.helpers.harness import Harness, running_bot


@pytest.fixture
async def sokh(db_url: str) -> AsyncIterator[Harness]:
    """The running bot on each database."""
    async with running_bot(db_url) as harness:
        yield harness
    assert not harness.emu.errors, [(r.method, r.description) for r in harness.emu.errors]


async def test_what_happened_where_and_who_with_a_call_card(sokh: Harness) -> None:
    dara = sokh.emu.add_user(language_code="en")
    hotlines = await sokh.say(dara, "/help")
    categories = await sokh.tap(dara, hotlines, "🧭 Find the right service")
    assert "What happened?" in categories.text
    provinces = await sokh.tap(dara, categories, "Trafficking or forced work")
    assert "Kampong Cham" in sokh.emu.buttons(provinces)
    who = await sokh.tap(dara, provinces, "Kampong Cham")
    assert who.text.index("081 37 38 39") < who.text.index("1280"), "local service first"
    assert who.message_id == hotlines.message_id
    card = await sokh.tap(dara, who, "📞 081 37 38 39 Kampong Cham police anti-trafficking office")
    assert card.kind == "contact"
    assert sokh.emu.calls("sendContact")[-1].params["phone_number"] == "081 37 38 39"


async def test_abroad_sees_services_of_the_destination(sokh: Harness) -> None:
    dara = sokh.emu.add_user(language_code="en")
    screen = await sokh.tap(dara, await sokh.say(dara, "/help"), "🧭 Find the right service")
    screen = await sokh.tap(dara, screen, "A problem while working abroad")
    who = await sokh.tap(dara, screen, "Not in Cambodia / skip")
    assert "1300" in who.text and "1694" in who.text and "1280" in who.text


async def test_referral_in_khmer(sokh: Harness) -> None:
    sophea = sokh.emu.add_user(language_code="km")
    choice = await sokh.say(sophea, "/start")
    await sokh.tap(sophea, choice, "ខ្មែរ")
    screen = await sokh.tap(sophea, await sokh.say(sophea, "/help"), "🧭 ស្វែងរកសេវាដែលត្រូវ")
    screen = await sokh.tap(sophea, screen, "ការជួញដូរមនុស្ស ឬការបង្ខំឱ្យធ្វើការ")
    who = await sokh.tap(sophea, screen, "ភ្នំពេញ")
    assert "អ្នកដែលអាចជួយបាន" in who.text and "1280" in who.text


async def test_a_topic_quiz_arrives_as_a_native_quiz_poll(sokh: Harness) -> None:
    quiz = sokh.app.services.content.current.quizzes("one-on-one")[0]
    dara = sokh.emu.add_user(language_code="en")
    screen = await sokh.tap(dara, await sokh.say(dara, "/menu"), "👪 Parenting tips")
    screen = await sokh.tap(dara, screen, "One-on-one time")
    poll = await sokh.tap(dara, screen, "❓ Quiz: test yourself")
    assert poll.kind == "poll"
    sent = sokh.emu.calls("sendPoll")[-1].params
    assert sent["type"] == "quiz" and sent["correct_option_id"] == quiz.correct
    assert sent["question"] == quiz.question.en
    for _ in range(100):  # reach is recorded just after the poll is sent
        async with sokh.app.services.engine.connect() as conn:
            items = (await conn.execute(text("SELECT item_id FROM deliveries"))).scalars().all()
        if quiz.id in items:
            break
        await asyncio.sleep(0.05)
    assert quiz.id in items
