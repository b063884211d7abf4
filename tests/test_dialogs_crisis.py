"""Crisis triage fed in-process: risk words get the emergency numbers first."""

from __future__ import annotations

from tests.helpers.dialog_client import DialogClient

EMERGENCY = ("1280", "117")


async def test_risk_words_get_the_numbers_as_the_very_first_answer(dialog: DialogClient) -> None:
    child = dialog.emu.add_user(first_name="Mony", language_code="km")
    first = await dialog.say(child, "my stepfather hurts me")
    assert all(number in first.text for number in EMERGENCY)
    assert "You are not alone" in first.text, "English text gets the English reply"
    assert "💬 Talk to a counsellor" in dialog.emu.buttons(first)
    assert len(dialog.emu.chat_messages(dialog.chat(child))) == 2, "nothing before the crisis reply"


async def test_khmer_risk_words_get_the_khmer_reply(dialog: DialogClient) -> None:
    child = dialog.emu.add_user(first_name="Mony", language_code="en")
    first = await dialog.say(child, "ឪពុកចុងវាយខ្ញុំ")
    assert "អ្នកមិននៅម្នាក់ឯងទេ" in first.text and "1280" in first.text
    assert "💬 និយាយជាមួយអ្នកប្រឹក្សា" in dialog.emu.buttons(first)


async def test_look_alike_phrases_get_the_ordinary_answer(dialog: DialogClient) -> None:
    parent = dialog.emu.add_user(language_code="en")
    answer = await dialog.say(parent, "my toddler hits his sister")
    assert "not alone" not in answer.text


async def test_offer_without_counsellors_says_so_and_gives_numbers(dialog: DialogClient) -> None:
    child = dialog.emu.add_user(language_code="en")
    crisis = await dialog.say(child, "I want to kill myself")
    offer = await dialog.tap(child, crisis, "💬 Talk to a counsellor")
    assert "not ready yet" in offer.text and "1280" in offer.text
