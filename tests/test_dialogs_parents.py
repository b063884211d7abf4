"""Parenting tips by worry and by the child's age, fed in-process, in both languages."""

from __future__ import annotations

import pytest

from bot.content.model import AGES, CONCERNS
from dialogs.callbacks import ChildAge, Concern
from dialogs.parents import tips_for
from tests.helpers.course import DialogCourse, join
from tests.helpers.dialog_client import DialogClient


def test_every_worry_has_tips_for_every_age_it_concerns(dialog: DialogClient) -> None:
    content = dialog.services.content.current
    assert [c.value for c in Concern] == list(CONCERNS)
    assert [a.value for a in ChildAge] == list(AGES), "buttons name the content's age groups"
    for concern in Concern:
        assert any(tips_for(content, concern, age) for age in ChildAge), concern
    crying = tips_for(content, Concern.CRYING, ChildAge.SMALL)
    assert crying and all("3-5" in item.ages for _, item in crying)
    assert crying[0][1].id == "parenting.calm.name-feelings", "the tip for this age leads"
    assert "parenting.calm.crying-baby" not in [item.id for _, item in crying], "a baby's tip"


async def test_a_worry_then_an_age_gives_its_tips_edited_in_place(dialog: DialogClient) -> None:
    dara = dialog.emu.add_user(language_code="en")
    menu = await dialog.say(dara, "/menu")
    topics = await dialog.tap(dara, menu, "👪 Parenting tips")
    assert dialog.buttons(topics)[:2] == ["💭 By worry: crying, sleep, food…",
                                          "👶 By your child's age"]
    worries = await dialog.tap(dara, topics, "💭 By worry: crying, sleep, food…")
    ages = await dialog.tap(dara, worries, "😢 Crying")
    assert "Crying" in ages.text and "3–5 years" in dialog.buttons(ages)
    tip = await dialog.tap(dara, ages, "3–5 years")
    assert tip.message_id == menu.message_id, "one message, edited in place"
    assert "Help your child name the feeling" in tip.text and "Calm when angry" in tip.text
    second = await dialog.tap(dara, tip, "Next ›")
    assert "2 / " in second.text
    other = await dialog.tap(dara, second, "💭 Another worry")
    sleep = await dialog.tap(dara, other, "😴 Sleep")
    assert "bedtime" in sleep.text, "the age is kept: straight to the tips"


async def test_by_age_in_khmer_then_a_worry(dialog: DialogClient) -> None:
    sophea = dialog.emu.add_user(language_code="km")
    choice = await dialog.say(sophea, "/start")
    menu = await dialog.tap(sophea, choice, "ខ្មែរ")
    topics = await dialog.tap(sophea, menu, "👪 គន្លឹះចិញ្ចឹមកូន")
    ages = await dialog.tap(sophea, topics, "👶 តាមអាយុកូនរបស់អ្នក")
    worries = await dialog.tap(sophea, ages, "០–២ ឆ្នាំ")
    tip = await dialog.tap(sophea, worries, "😢 ការយំ")
    baby = dialog.services.content.current.item("parenting.calm.crying-baby")
    assert baby is not None and baby.text.km[:30] in tip.text, "the baby's tip leads"
    assert "ការយំ" in tip.text and "០–២ ឆ្នាំ" in tip.text


async def test_numbers_in_a_tip_get_call_buttons(dialog: DialogClient) -> None:
    dara = dialog.emu.add_user(language_code="en")
    menu = await dialog.say(dara, "/menu")
    topics = await dialog.tap(dara, menu, "🧳 Safe migration")
    page = await dialog.tap(dara, topics, "If your passport is kept")
    while "1694" not in page.text:  # the tip naming both Thai lines
        page = await dialog.tap(dara, page, "Next ›")
    calls = [label for label in dialog.buttons(page) if "1300" in label or "1694" in label]
    assert len(calls) == 2, dialog.buttons(page)
    card = await dialog.tap(dara, page, calls[0])
    assert card.kind == "contact" and card.content["contact"]["phone_number"] == "1300"


async def test_a_parent_in_the_course_is_not_asked_the_age_again(course: DialogCourse) -> None:
    c, sokh = course, course.sokh
    dara = sokh.emu.add_user(language_code="en")
    c.at(1, 6)
    await join(c, dara, "0–2 years")
    topics = await sokh.tap(dara, await sokh.say(dara, "/menu"), "👪 Parenting tips")
    worries = await sokh.tap(dara, topics, "💭 By worry: crying, sleep, food…")
    assert "0–2 years: what worries you?" in worries.text
    tip = await sokh.tap(dara, worries, "😢 Crying")
    assert "Never shake a baby" in tip.text, "straight to the tips for the course's age"
    other = await sokh.tap(dara, tip, "👶 Another age")
    assert "3–5 years" in sokh.buttons(other), "another age is one tap away"


@pytest.mark.parametrize(("language", "typed", "worry"), [
    ("en", "my child will not sleep", "😴 Sleep"), ("km", "កូនខ្ញុំមិនព្រមគេង", "😴 ការគេង"),
])
async def test_a_typed_worry_offers_its_tips_by_age(dialog: DialogClient, language: str,
                                                    typed: str, worry: str) -> None:
    dara = dialog.emu.add_user(language_code=language)
    t = dialog.services.locales.get(language)
    await dialog.tap(dara, await dialog.say(dara, "/start"), t(f"common-language-name-{language}"))
    found = await dialog.say(dara, typed)
    label = t("search-worry", worry=worry)
    assert label in dialog.buttons(found), dialog.buttons(found)
    ages = await dialog.tap(dara, found, label)
    assert t("course-age-3-5") in dialog.buttons(ages)
