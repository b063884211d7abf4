"""The travel countdown fed in-process, and typed dates in English and Khmer forms."""

from __future__ import annotations

from datetime import date

import pytest

from dialogs.travel.dates import parse_date
from dialogs.travel.views import destinations
from tests.helpers.course import DialogCourse

THAILAND = "Working in Thailand"


async def _plan_trip(c: DialogCourse, day: str = "20") -> str:
    sokh = c.sokh
    user = sokh.emu.add_user(language_code="en")
    choice = await sokh.say(user, "/start")
    menu = await sokh.tap(user, choice, "English")
    where = await sokh.tap(user, menu, "✈️ Travel countdown")
    calendar = await sokh.tap(user, where, THAILAND)
    saved = await sokh.tap(user, calendar, day)
    c.user = user  # type: ignore[attr-defined]
    return saved.text or ""


async def test_countdown_reminds_then_checks_in(course: DialogCourse) -> None:
    c = course
    c.at(1, 10)
    assert "on 20/12/2026" in await _plan_trip(c)
    user = c.user  # type: ignore[attr-defined]
    seen = []
    for day in (6, 13, 17, 19, 20, 23):
        assert await c.tick(user) is None or day == 6
        c.at(day, 8)
        message = await c.tick(user)
        assert message is not None, f"nothing on {day} December"
        seen.append(message)
    assert "14 day(s) until" in seen[0].text and "📋 Checklist" in c.sokh.emu.buttons(seen[0])
    assert "1 day(s) until" in seen[3].text
    assert "Safe journey to Thailand" in seen[4].text and "1300" in seen[4].text
    assert c.sokh.emu.buttons(seen[5]) == ["✅ Yes, I arrived safely", "🆘 I need help"]
    helped = await c.sokh.tap(user, seen[5], "🆘 I need help")
    assert "117" in helped.text and helped.message_id == seen[5].message_id


async def test_typed_dates_change_and_cancel(course: DialogCourse) -> None:
    c, sokh = course, course.sokh
    c.at(1, 10)
    await _plan_trip(c)
    user = c.user  # type: ignore[attr-defined]
    status = await sokh.tap(user, sokh.emu.last_bot_message(sokh.chat(user)),  # type: ignore[arg-type]
                            "📅 Change destination or date")
    calendar = await sokh.tap(user, status, THAILAND)
    assert calendar.text.startswith("When do you travel?")
    assert "already passed" in (await sokh.say(user, "1/11/2026")).text
    assert "could not read" in (await sokh.say(user, "next friday")).text
    saved = await sokh.say(user, "២៥ ធ្នូ ២០២៦")
    assert "on 25/12/2026" in saved.text
    c.at(11, 8)
    first = await c.tick(user)
    assert first is not None and "14 day(s)" in first.text, "rescheduled from the new date"
    cancelled = await sokh.tap(user, saved, "✖️ Cancel the countdown")
    assert "cancelled" in cancelled.text
    c.at(18, 8)
    assert await c.tick(user) is None


@pytest.mark.parametrize(("typed", "expected"), [
    ("25/12/2026", date(2026, 12, 25)), ("2026-12-25", date(2026, 12, 25)),
    ("25 Dec 2026", date(2026, 12, 25)), ("December 25, 2026", date(2026, 12, 25)),
    ("២៥/១២/២០២៦", date(2026, 12, 25)), ("២៥ ធ្នូ ២០២៦", date(2026, 12, 25)),
    ("ថ្ងៃទី ៥ ខែកុម្ភៈ ឆ្នាំ ២០២៧", date(2027, 2, 5)), ("5.1.27", date(2027, 1, 5)),
    ("31/02/2026", None), ("hello", None), ("", None),
])
def test_parse_date(typed: str, expected: date | None) -> None:
    assert parse_date(typed) == expected


async def test_a_new_date_cancels_a_reminder_already_queued(course: DialogCourse) -> None:
    c, sokh = course, course.sokh
    c.at(1, 10)
    await _plan_trip(c)
    user = c.user  # type: ignore[attr-defined]
    c.at(6, 8)
    await c.proactive.enqueue()  # the 14-day reminder is queued, not yet sent
    saved = sokh.emu.last_bot_message(sokh.chat(user))
    assert saved is not None
    status = await sokh.tap(user, saved, "📅 Change destination or date")
    calendar = await sokh.tap(user, status, THAILAND)
    assert "on 30/12/2026" in (await sokh.say(user, "30/12/2026")).text
    assert await c.sender.run_once() == 0, "the old date's reminder never goes"
    assert (await c.sender.outbox.counts()).get("cancelled") == 1
    c.at(16, 8)
    reminder = await c.tick(user)
    assert reminder is not None and "14 day(s) until" in reminder.text
    assert calendar.message_id != reminder.message_id


async def test_a_past_day_is_refused_kindly_in_khmer(course: DialogCourse) -> None:
    c, sokh = course, course.sokh
    t = sokh.services.locales.get("km")
    sophea = sokh.emu.add_user(language_code="km")
    c.at(1, 23, 50)
    choice = await sokh.say(sophea, "/start")
    menu = await sokh.tap(sophea, choice, "ខ្មែរ")
    where = await sokh.tap(sophea, menu, t("menu-button-travel"))
    place = next(d.title.km for d in destinations(sokh.services.content.current)
                 if d.destination == "th")
    calendar = await sokh.tap(sophea, where, place)
    c.at(2, 0, 10)  # midnight passed while the calendar was open
    refused = await sokh.tap(sophea, calendar, "១")  # Khmer digits in a Khmer calendar
    assert refused.text == t("travel-date-past")
    assert (await sokh.say(sophea, "០១/១២/២០២៦")).text == t("travel-date-past")
    saved = await sokh.say(sophea, "២០/១២/២០២៦")
    assert "២០/១២/២០២៦" in saved.text and saved.text.startswith("បានរក្សាទុក")
    assert await sokh.services.schedules.get(
        sokh.services.people.key_for(sophea.id), "travel") is not None
