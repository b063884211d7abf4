"""The referral flow and topic quiz polls, fed to the real dispatcher in-process."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from tests.helpers.dialog_client import DialogClient


async def test_what_happened_where_and_who_with_a_call_card(dialog: DialogClient) -> None:
    dara = dialog.emu.add_user(language_code="en")
    hotlines = await dialog.say(dara, "/help")
    categories = await dialog.tap(dara, hotlines, "🧭 By topic")
    assert "What happened?" in categories.text
    provinces = await dialog.tap(dara, categories, "Trafficking or forced work")
    assert "Kampong Cham" in dialog.emu.buttons(provinces)
    who = await dialog.tap(dara, provinces, "Kampong Cham")
    assert who.text.index("081 37 38 39") < who.text.index("1280"), "local service first"
    assert who.message_id == hotlines.message_id
    police = "📞 081 37 38 39 Kampong Cham police anti-trafficking office"
    card = await dialog.tap(dara, who, police)
    assert card.kind == "contact"
    assert dialog.emu.calls("sendContact")[-1].params["phone_number"] == "081 37 38 39"


async def test_abroad_sees_services_of_the_destination(dialog: DialogClient) -> None:
    dara = dialog.emu.add_user(language_code="en")
    screen = await dialog.tap(dara, await dialog.say(dara, "/help"), "🧭 By topic")
    screen = await dialog.tap(dara, screen, "A problem while working abroad")
    who = await dialog.tap(dara, screen, "Not in Cambodia / skip")
    assert "1300" in who.text and "1694" in who.text and "1280" in who.text


async def test_referral_in_khmer(dialog: DialogClient) -> None:
    sophea = dialog.emu.add_user(language_code="km")
    choice = await dialog.say(sophea, "/start")
    await dialog.tap(sophea, choice, "ខ្មែរ")
    screen = await dialog.tap(sophea, await dialog.say(sophea, "/help"), "🧭 តាមប្រធានបទ")
    screen = await dialog.tap(sophea, screen, "ការជួញដូរមនុស្ស ឬការបង្ខំឱ្យធ្វើការ")
    who = await dialog.tap(sophea, screen, "ភ្នំពេញ")
    assert "អ្នកដែលអាចជួយបាន" in who.text and "1280" in who.text


async def test_a_topic_quiz_arrives_as_a_native_quiz_poll(dialog: DialogClient) -> None:
    quiz = dialog.services.content.current.quizzes("one-on-one")[0]
    dara = dialog.emu.add_user(language_code="en")
    screen = await dialog.tap(dara, await dialog.say(dara, "/menu"), "👪 Parenting tips")
    screen = await dialog.tap(dara, screen, "One-on-one time")
    poll = await dialog.tap(dara, screen, "❓ Quiz: test yourself")
    assert poll.kind == "poll"
    sent = dialog.emu.calls("sendPoll")[-1].params
    assert sent["type"] == "quiz" and sent["correct_option_id"] == quiz.correct
    assert sent["question"] == quiz.question.en
    for _ in range(100):  # reach is recorded just after the poll is sent
        async with dialog.services.engine.connect() as conn:
            items = (await conn.execute(text("SELECT item_id FROM deliveries"))).scalars().all()
        if quiz.id in items:
            break
        await asyncio.sleep(0.05)
    assert quiz.id in items
