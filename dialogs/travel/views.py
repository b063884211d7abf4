"""What the travel countdown shows: destinations, a month calendar, reminders."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from bot.content.i18n import Translator
from bot.content.model import Topic
from bot.content.store import Content
from dialogs.callbacks import MenuCb, Screen, TopicCb, TravelAction, TravelCb
from dialogs.hotlines import service_line
from dialogs.menu import menu_row
from dialogs.screen import Row, View
from dialogs.text import escape


def destinations(content: Content) -> tuple[Topic, ...]:
    """Topics about one destination country, in content order."""
    pack = content.packs.get("migration")
    return tuple(t for t in pack.topics if t.destination) if pack else ()


def country(content: Content, code: str, t: Translator) -> str:
    """The destination country's name in the person's language."""
    if t.has(f"travel-country-{code}"):
        return t(f"travel-country-{code}")
    topic = next((d for d in destinations(content) if d.destination == code), None)
    return escape(topic.title.get(t.language)) if topic else code


def destination_view(content: Content, t: Translator) -> View:
    """Ask where the person is going."""
    rows = [
        [(d.title.get(t.language), TravelCb(action=TravelAction.DEST, value=d.destination or ""))]
        for d in destinations(content)
    ]
    return View(t("travel-ask-destination"), (*rows, menu_row(t)))


def calendar_view(t: Translator, code: str, month: date, today: date) -> View:
    """A month of days to tap (past days inert), with month paging; typing also works."""
    rows: list[Row] = []
    for week in calendar.Calendar().monthdatescalendar(month.year, month.month):
        rows.append([_day_button(day, month, today, code) for day in week])
    before = (month - timedelta(days=1)).replace(day=1)
    after = (month + timedelta(days=32)).replace(day=1)
    paging: Row = [
        ("‹", TravelCb(action=TravelAction.CAL, value=f"{code}.{before:%Y-%m}")),
        (f"{month:%m/%Y}", TravelCb(action=TravelAction.NOOP)),
        ("›", TravelCb(action=TravelAction.CAL, value=f"{code}.{after:%Y-%m}")),
    ]
    return View(t("travel-ask-date"), (paging, *rows, menu_row(t)))


def _day_button(day: date, month: date, today: date, code: str) -> tuple[str, TravelCb]:
    if day.month != month.month or day < today:
        return "·", TravelCb(action=TravelAction.NOOP)
    return str(day.day), TravelCb(action=TravelAction.DAY, value=f"{code}.{day.isoformat()}")


def status_view(t: Translator, place: str, when: date, lead: str = "travel-saved") -> View:
    """The saved countdown, with change and cancel."""
    return View(
        t(lead, country=place, date=when.strftime("%d/%m/%Y")),
        (
            [(t("travel-button-change"), TravelCb(action=TravelAction.CHANGE))],
            [(t("travel-button-cancel"), TravelCb(action=TravelAction.CANCEL))],
            menu_row(t),
        ),
    )


def reminder_view(content: Content, t: Translator, payload: dict[str, Any]) -> View:
    """A countdown message: checklist reminder, morning-of numbers, or arrival check-in."""
    offset, code = int(payload["offset"]), str(payload.get("dest") or "")
    place = country(content, code, t)
    if offset < 0:
        topic = next((d for d in destinations(content) if d.destination == code), None)
        rows: list[Row] = (
            [[(t("travel-button-checklist"), TopicCb(area="migration", topic=topic.id))]]
            if topic
            else []
        )
        return View(t("travel-reminder", days=-offset, country=place), (*rows, menu_row(t)))
    if offset == 0:
        return _morning(content, t, code, place)
    return View(
        t("travel-checkin", country=place),
        (
            [(t("travel-button-safe"), TravelCb(action=TravelAction.SAFE))],
            [(t("travel-button-help"), MenuCb(to=Screen.HELP))],
        ),
    )


def _morning(content: Content, t: Translator, code: str, place: str) -> View:
    topic = next((d for d in destinations(content) if d.destination == code), None)
    ids = topic.services if topic else ()
    services = [s for s in (content.service(i) for i in ids) if s is not None]
    services += [s for s in content.services(emergency_only=True) if s not in services]
    lines = [t("travel-morning", country=place), *(service_line(s, t) for s in services)]
    return View("\n\n".join(lines), (menu_row(t),))
