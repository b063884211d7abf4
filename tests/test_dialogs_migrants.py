"""Migrants, fed in-process: tick-off checklists, destination pages, the countdown calendar."""

from __future__ import annotations

from sqlalchemy import text

from bot.content.phones import services_named
from dialogs.callbacks import CallCb
from dialogs.checklists import checklist_view
from dialogs.course.flow import tip_view
from dialogs.travel.views import destinations
from simulator.state import SimMessage, SimUser
from tests.helpers.course import DialogCourse
from tests.helpers.dialog_client import DialogClient


async def _rows(dialog: DialogClient, sql: str) -> list[tuple[object, ...]]:
    async with dialog.services.engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(text(sql))]


async def _checklist(dialog: DialogClient, user: SimUser, start: SimMessage | None = None,
                     menu: str = "🧳 Safe migration", title: str = "Before you go") -> SimMessage:
    screen = start or await dialog.say(user, "/menu")
    topics = await dialog.tap(user, screen, menu)
    return await dialog.tap(user, topics, title)


async def test_ticks_are_edited_in_place_and_kept_for_each_person(dialog: DialogClient) -> None:
    dara, sophea = dialog.emu.add_user(language_code="en"), dialog.emu.add_user(language_code="en")
    listed = await _checklist(dialog, dara)
    assert "0 of 6 done" in listed.text and "⬜ 1." in listed.text
    assert dialog.buttons(listed)[:6] == ["⬜ 1", "⬜ 2", "⬜ 3", "⬜ 4", "⬜ 5", "⬜ 6"]
    assert any("069 92 38 38" in label for label in dialog.buttons(listed)), "tappable"
    ticked = await dialog.tap(dara, listed, "⬜ 2")
    assert ticked.message_id == listed.message_id, "edited in place"
    assert "1 of 6 done" in ticked.text and "✅ 2." in ticked.text
    assert dialog.buttons(ticked)[1] == "✅ 2"
    again = await _checklist(dialog, dara)
    assert "✅ 2." in again.text, "remembered when opened again"
    assert "0 of 6 done" in (await _checklist(dialog, sophea)).text, "ticks are each person's own"
    unticked = await dialog.tap(dara, again, "✅ 2")
    assert "0 of 6 done" in unticked.text
    await dialog.tap(dara, unticked, "⬜ 6")
    rows = await _rows(dialog, "SELECT person_key, item_id FROM checklist_ticks")
    assert rows == [(dialog.services.people.key_for(dara.id), "migration.before.copies")]
    assert str(dara.id) not in repr(rows), "a pseudonymous key, never the Telegram id"


async def test_forget_erases_the_ticks(dialog: DialogClient) -> None:
    dara = dialog.emu.add_user(language_code="en")
    listed = await _checklist(dialog, dara)
    await dialog.tap(dara, listed, "⬜ 1")
    ask = await dialog.say(dara, "/forget")
    await dialog.tap(dara, ask, "Yes, erase")
    assert await _rows(dialog, "SELECT * FROM checklist_ticks") == []


async def test_a_khmer_checklist_counts_in_khmer_digits(dialog: DialogClient) -> None:
    sophea = dialog.emu.add_user(language_code="km")
    choice = await dialog.say(sophea, "/start")
    menu = await dialog.tap(sophea, choice, "ខ្មែរ")
    content = dialog.services.content.current
    way = content.topic("migration", "on-the-way")
    assert way is not None and way.checklist
    listed = await _checklist(dialog, sophea, menu, "🧳 ចំណាកស្រុកដោយសុវត្ថិភាព", way.title.km)
    assert dialog.buttons(listed)[:4] == ["⬜ ១", "⬜ ២", "⬜ ៣", "⬜ ៤"]
    ticked = await dialog.tap(sophea, listed, "⬜ ៣")
    assert "រួចរាល់ ១ ក្នុងចំណោម ៤" in ticked.text and way.items[2].text.km[:20] in ticked.text


async def test_a_search_result_on_a_checklist_opens_the_list(dialog: DialogClient) -> None:
    dara = dialog.emu.add_user(language_code="en")
    menu = await dialog.say(dara, "/menu")
    forged = await dialog.click_raw(dara, menu.message_id, "t:migration:before-you-go:3")
    assert dialog.emu.callback_answer(forged) is not None
    shown = dialog.emu.chat_messages(dialog.chat(dara))[-1]
    assert "0 of 6 done" in (shown.text or "")


async def _calendar(c: DialogCourse, user: SimUser, language: str) -> SimMessage:
    sokh = c.sokh
    t = sokh.services.locales.get(language)
    choice = await sokh.say(user, "/start")
    menu = await sokh.tap(user, choice, t(f"common-language-name-{language}"))
    where = await sokh.tap(user, menu, t("menu-button-travel"))
    thailand = next(d for d in destinations(sokh.services.content.current) if d.destination == "th")
    return await sokh.tap(user, where, thailand.title.get(language))


async def test_the_calendar_names_the_month_and_weekdays_in_english(course: DialogCourse) -> None:
    c, sokh = course, course.sokh
    dara = sokh.emu.add_user(language_code="en")
    c.at(1, 10)
    calendar = await _calendar(c, dara, "en")
    assert sokh.buttons(calendar)[:10] == ["‹", "December 2026", "›", "Mo", "Tu", "We", "Th",
                                           "Fr", "Sa", "Su"]
    later = await sokh.tap(dara, calendar, "›")
    assert "January 2027" in sokh.buttons(later)
    saved = await sokh.tap(dara, later, "4")
    assert "Saved: Thailand on 04/01/2027" in saved.text and "34 days left." in saved.text
    assert "Next: on 21/12/2026 I will send your checklist (14 days before you leave)." \
        in saved.text
    listed = await sokh.tap(dara, saved, "📋 Tick off now: Before you go")
    assert "0 of 6 done" in listed.text


async def test_the_khmer_calendar_and_countdown_speak_khmer(course: DialogCourse) -> None:
    c, sokh = course, course.sokh
    sophea = sokh.emu.add_user(language_code="km")
    c.at(1, 10)
    calendar = await _calendar(c, sophea, "km")
    assert sokh.buttons(calendar)[:10] == ["‹", "ខែធ្នូ ឆ្នាំ២០២៦", "›", "ច", "អ", "ព", "ព្រ",
                                           "សុ", "ស", "អា"]
    assert "៣១" in sokh.buttons(calendar) and "31" not in sokh.buttons(calendar)
    saved = await sokh.tap(sophea, calendar, "៣")
    assert "នៅសល់ ២ ថ្ងៃទៀត។" in saved.text, "2 days left, in Khmer digits"
    assert "បន្ទាប់៖ នៅថ្ងៃ ០២/១២/២០២៦" in saved.text, "the day before: the last checklist"
    status = await sokh.tap(sophea, await sokh.say(sophea, "/menu"),
                            sokh.services.locales.get("km")("menu-button-travel"))
    assert "នៅសល់ ២ ថ្ងៃទៀត។" in status.text, "the saved countdown says the same"


async def test_the_thailand_page_leads_with_whom_to_call(dialog: DialogClient) -> None:
    dara = dialog.emu.add_user(language_code="en")
    page = await _checklist(dialog, dara, title="Working in Thailand")
    assert "Whom to call in Thailand" in page.text and "1 / 5" in page.text, "the first page"
    calls = [b for b in dialog.buttons(page) if b.startswith("📞")]
    assert [b.split()[1] for b in calls] == ["1300", "1694", "1155"]


def test_every_number_in_content_items_has_a_call_button(dialog: DialogClient) -> None:
    content = dialog.services.content.current
    locales = dialog.services.locales
    for pack in content.packs.values():
        for topic in pack.topics:
            for item in topic.items:
                named = services_named(content, item.text.en)
                assert services_named(content, item.text.km) == named, item.id
                for service in named:  # the course sends these tips with the same buttons
                    view = tip_view(item, locales.get("en"), 1, 1, content)
                    assert any(CallCb(service=service.id) in (d for _, d in row)
                               for row in view.rows), (item.id, service.id)
    tip = content.item("parenting.body-safety.listen-believe")
    assert tip is not None and [s.id for s in services_named(content, tip.text.en)] == ["chc-1280"]


async def test_a_countdown_reminder_opens_the_list_to_tick(course: DialogCourse) -> None:
    c, sokh = course, course.sokh
    dara = sokh.emu.add_user(language_code="en")
    c.at(1, 10)
    await sokh.tap(dara, await _calendar(c, dara, "en"), "20")
    c.at(6, 8)
    reminder = await c.tick(dara)
    assert reminder is not None and "14 day(s) until" in reminder.text
    assert sokh.buttons(reminder)[:2] == ["📋 Checklist", "Working in Thailand"]
    listed = await sokh.tap(dara, reminder, "📋 Checklist")
    assert "0 of 6 done" in listed.text


def test_a_checklist_too_long_for_one_message_is_shortened_evenly(dialog: DialogClient) -> None:
    content = dialog.services.content.current
    topic = content.topic("migration", "before-you-go")
    assert topic is not None
    long = [i.model_copy(update={"text": i.text.model_copy(update={"km": "ក" * 4000})})
            for i in topic.items]
    view = checklist_view(topic.model_copy(update={"items": tuple(long)}), set(), content,
                          dialog.services.locales.get("km"))
    assert len(view.text) <= 4096 and view.text.count("…") == len(long)
    shipped = checklist_view(topic, set(), content, dialog.services.locales.get("km"))
    assert "…" not in shipped.text, "today's checklists are shown whole"
